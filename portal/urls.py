from django.urls import path

from portal import exports, views

urlpatterns = [
    path("", views.home, name="home"),
    path("pulpit/", views.start, name="start"),
    path("moi-odbiorcy/", views.customers, name="customers"),
    path("moi-odbiorcy/otwarte-dokumenty.csv", exports.open_documents_csv, name="open_documents_csv"),
    path("moi-odbiorcy/otwarte-dokumenty.xlsx", exports.open_documents_xlsx, name="open_documents_xlsx"),
    path("moi-odbiorcy/dokumenty.zip", exports.documents_zip, name="documents_zip"),
    path("moi-odbiorcy/sprawy/", exports.cases, name="all_cases"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # Browsers and crawlers ask for /favicon.ico whatever the page says: send them to the icon.
    path("favicon.ico", views.favicon),
    path("deklaracja-dostepnosci/", views.accessibility, name="accessibility"),
]
