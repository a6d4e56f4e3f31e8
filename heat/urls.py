from django.urls import path

from heat import views

app_name = "heat"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("<slug:kind>/", views.request_new, name="new"),
]
