import logging

from django.urls import reverse

from tests import factories


def test_it_sends_the_pdf_as_an_attachment_with_a_safe_name_and_nosniff(alice_client, alice):
    factories.make_document(alice.customer, "FV/2026/04/00123", pdf=factories.write_pdf("pdf/fv.pdf", b"%PDF-1.4 x"))
    response = alice_client.get(reverse("billing:document_pdf", args=["FV/2026/04/00123"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"
    assert response["Content-Disposition"].startswith('attachment; filename="FV_2026_04_00123.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_an_other_document_gets_an_ascii_name_from_its_date_and_title(alice_client, alice):
    doc = factories.make_other_document(alice.customer, title='Umowa źródłowa "x"', pdf=factories.write_pdf("u.pdf"))
    response = alice_client.get(reverse("billing:other_document_pdf", args=[doc.ext_id]))
    assert response["Content-Disposition"].startswith('attachment; filename="2019-05-05_Umowa_zrodlowa_x.pdf"')


def test_another_customers_document_is_not_found(alice_client, bob):
    factories.make_document(bob.customer, "FV/BOB", pdf=factories.write_pdf("b.pdf"))
    other = factories.make_other_document(bob.customer, pdf=factories.write_pdf("c.pdf"))
    assert alice_client.get(reverse("billing:document_pdf", args=["FV/BOB"])).status_code == 404
    assert alice_client.get(reverse("billing:other_document_pdf", args=[other.ext_id])).status_code == 404


def test_a_missing_file_gives_a_clear_message_and_a_log_entry(alice_client, alice, caplog):
    factories.make_document(alice.customer, "FV/GONE", pdf="pdf/gone.pdf")
    with caplog.at_level(logging.ERROR, logger="billing.views"):
        response = alice_client.get(reverse("billing:document_pdf", args=["FV/GONE"]))
    assert response.status_code == 404
    assert "Nie możemy teraz pobrać tego pliku" in response.content.decode()
    assert "pdf/gone.pdf" in caplog.text


def test_a_path_leaving_the_private_folder_is_treated_as_missing(alice_client, alice, settings):
    (settings.PRIVATE_ROOT.parent / "secret.pdf").write_bytes(b"secret")
    factories.make_document(alice.customer, "FV/EVIL", pdf="../secret.pdf")
    response = alice_client.get(reverse("billing:document_pdf", args=["FV/EVIL"]))
    assert response.status_code == 404
    assert b"secret" not in response.content


def test_behind_nginx_the_pdf_goes_by_x_accel_redirect_and_others_still_get_404(alice_client, alice, bob, settings):
    settings.EBOK_X_ACCEL_REDIRECT_PREFIX = "/_private/"
    factories.make_document(alice.customer, "FV/2026/04/00123", pdf=factories.write_pdf("pdf/fv.pdf", b"%PDF-1.4 x"))
    other = factories.make_other_document(alice.customer, pdf=factories.write_pdf("pdf/pismo.pdf"))
    response = alice_client.get(reverse("billing:document_pdf", args=["FV/2026/04/00123"]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_private/pdf/fv.pdf"
    assert response.content == b""
    assert response["Content-Disposition"].startswith('attachment; filename="FV_2026_04_00123.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff" and response["Cache-Control"] == "private, no-store"
    letter = alice_client.get(reverse("billing:other_document_pdf", args=[other.ext_id]))
    assert letter["X-Accel-Redirect"] == "/_private/pdf/pismo.pdf" and letter.content == b""
    alice_client.force_login(bob)
    for url in (
        reverse("billing:document_pdf", args=["FV/2026/04/00123"]),
        reverse("billing:other_document_pdf", args=[other.ext_id]),
    ):
        refused = alice_client.get(url)
        assert refused.status_code == 404 and "X-Accel-Redirect" not in refused
