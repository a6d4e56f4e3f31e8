import logging

from django.urls import reverse

from tests import factories
from tests.pages import login_redirect


def _attachment(customer, settings, content=factories.PDF_BYTES, filename='faktura "stara".pdf'):
    case = factories.make_case(customer)
    message = case.messages.get()
    path = settings.PRIVATE_ROOT / "cases" / "2026" / "abc.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return message.attachments.create(
        path="cases/2026/abc.pdf", filename=filename, content_type="application/pdf", size=len(content)
    )


def test_the_owner_downloads_the_file_safely(alice_client, alice, settings):
    attachment = _attachment(alice.customer, settings)
    response = alice_client.get(f"/sprawy/zalaczniki/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == factories.PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert '"stara"' not in response["Content-Disposition"]  # quotes cannot break out of the header
    assert "private" in response["Cache-Control"]


def test_another_customers_attachment_is_not_found(alice_client, bob, settings):
    attachment = _attachment(bob.customer, settings)
    assert alice_client.get(f"/sprawy/zalaczniki/{attachment.pk}/").status_code == 404


def test_a_missing_file_gives_a_clear_message_and_a_log_entry(alice_client, alice, settings, caplog):
    attachment = _attachment(alice.customer, settings)
    (settings.PRIVATE_ROOT / attachment.path).unlink()
    with caplog.at_level(logging.ERROR, logger="cases.views"):
        response = alice_client.get(f"/sprawy/zalaczniki/{attachment.pk}/")
    assert response.status_code == 404
    assert "Nie możemy teraz pobrać tego pliku" in response.content.decode()
    assert "cases/2026/abc.pdf" in caplog.text


def test_behind_nginx_the_file_goes_by_x_accel_redirect_and_others_still_get_404(client, alice, bob, settings):
    settings.EBOK_X_ACCEL_REDIRECT_PREFIX = "/_private/"
    attachment = _attachment(alice.customer, settings)
    client.force_login(alice)
    response = client.get(f"/sprawy/zalaczniki/{attachment.pk}/")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_private/cases/2026/abc.pdf"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    client.force_login(bob)
    refused = client.get(f"/sprawy/zalaczniki/{attachment.pk}/")
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused


def test_anonymous_visitors_get_no_file(client, alice, settings):
    attachment = _attachment(alice.customer, settings)
    url = f"/sprawy/zalaczniki/{attachment.pk}/"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == login_redirect(url)


def _download_names(response) -> tuple[str, str]:
    """(the ASCII filename, the decoded filename*) of a Content-Disposition header."""
    import re
    from urllib.parse import unquote

    header = response["Content-Disposition"]
    ascii_name = re.search(r'filename="([^"]*)"', header).group(1)
    utf8_name = unquote(re.search(r"filename\*=UTF-8''(\S+)", header).group(1))
    return ascii_name, utf8_name


def test_the_download_takes_the_extension_of_the_detected_type(alice_client, alice, bob, settings):
    jpeg = b"\xff\xd8\xff\xe0" + b"0" * 20
    attachment = _attachment(alice.customer, settings, content=jpeg, filename="poly.html")
    attachment.content_type = "image/jpeg"  # what the upload's bytes were detected as
    attachment.save()
    response = alice_client.get(f"/sprawy/zalaczniki/{attachment.pk}/")
    assert response["Content-Type"] == "image/jpeg"
    assert _download_names(response) == ("poly.jpg", "poly.jpg")
    # Bob never gets it, whatever its name.
    bob_client = alice_client.__class__()
    bob_client.force_login(bob)
    assert bob_client.get(f"/sprawy/zalaczniki/{attachment.pk}/").status_code == 404


def test_a_name_without_an_extension_gets_the_detected_one(alice_client, alice, settings):
    attachment = _attachment(alice.customer, settings, filename="skan")
    assert _download_names(alice_client.get(f"/sprawy/zalaczniki/{attachment.pk}/")) == ("skan.pdf", "skan.pdf")


def test_bidi_and_control_characters_leave_the_download_name(alice_client, alice, settings):
    # "faktura‮fdp.exe" shows as "fakturaexe.pdf" in a file manager that honours the override.
    attachment = _attachment(alice.customer, settings, filename="faktura\u202efdp.exe\x07\u200f.pdf")
    ascii_name, utf8_name = _download_names(alice_client.get(f"/sprawy/zalaczniki/{attachment.pk}/"))
    assert utf8_name == "fakturafdp.exe.pdf"
    assert ascii_name == "fakturafdp.exe.pdf"


def test_the_staff_download_is_named_the_same_way(client, case_staff, alice, settings):
    factories.login_staff(client, case_staff)
    attachment = _attachment(alice.customer, settings, filename="poly.html")
    response = client.get(reverse("admin:cases_case_attachment", args=[attachment.pk]))
    assert response.status_code == 200, response.status_code
    assert _download_names(response) == ("poly.pdf", "poly.pdf")
