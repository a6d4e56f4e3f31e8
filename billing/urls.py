from django.urls import path

from billing import views

app_name = "billing"
urlpatterns = [
    path("umowa/", views.contracts, name="contracts"),
    path("punkty-odbioru/", views.points, name="points"),
    path("punkty-odbioru/<key:code>/", views.point, name="point"),
    path("platnosci/", views.payments, name="payments"),
    path("dokumenty/", views.documents, name="documents"),
    path("dokumenty/zip/", views.documents_zip, name="documents_zip"),
    path("dokumenty/pismo/<key:ext_id>/pdf/", views.other_document_pdf, name="other_document_pdf"),
    # Document numbers contain slashes (FV/2026/04/00123).
    path("dokumenty/faktura/<path:number>/pdf/", views.document_pdf, name="document_pdf"),
    path("platnosci/qr/<path:number>.svg", views.document_qr, name="document_qr"),
]
