from django.urls import path

from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("pulpit/", views.start, name="start"),
    path("moi-odbiorcy/", views.customers, name="customers"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # Browsers and crawlers ask for /favicon.ico whatever the page says: send them to the icon.
    path("favicon.ico", views.favicon),
    path("deklaracja-dostepnosci/", views.accessibility, name="accessibility"),
]
