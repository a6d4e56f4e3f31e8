from django.urls import path

from meters import views

app_name = "meters"
urlpatterns = [
    path("", views.meter_list, name="list"),
    path("<key:serial>/podaj-odczyt/", views.self_reading, name="self_reading"),
    path("zdjecia/<int:pk>/", views.self_reading_photo, name="self_reading_photo"),
]
