from django.urls import path

from outages import views

app_name = "outages"
urlpatterns = [
    path("", views.public, name="public"),
    path("<int:pk>/bonifikata/<key:code>/", views.compensation, name="compensation"),
]
