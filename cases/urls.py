from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("nowa/", views.case_new, name="new"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("wiadomosci/", views.message_list, name="messages"),
    path("szukaj/", views.case_search, name="search"),
    path("zalaczniki/<int:pk>/", views.attachment_download, name="attachment"),
]
