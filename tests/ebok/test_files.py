import pytest
from django.core.files.base import ContentFile
from django.http import Http404

from ebok.files import ascii_filename, delete_private, private_file_response, store_private


@pytest.fixture
def invoice(settings):
    folder = settings.PRIVATE_ROOT / "documents"
    folder.mkdir()
    path = folder / "FV_2026_10_000001.pdf"
    path.write_bytes(b"%PDF-1.4 test")
    return "documents/FV_2026_10_000001.pdf"


def test_without_nginx_django_streams_the_file_as_a_download(rf, invoice, settings):
    settings.EBOK_X_ACCEL_REDIRECT_PREFIX = ""
    response = private_file_response(rf.get("/"), invoice, "Faktura FV/2026/10/000001 łódź.pdf")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Faktura_FV_2026_10_000001_lodz.pdf"')
    assert "filename*=UTF-8''Faktura%20FV%2F2026%2F10%2F000001%20%C5%82%C3%B3d%C5%BA.pdf" in disposition
    assert "X-Accel-Redirect" not in response


def test_behind_nginx_django_answers_with_x_accel_redirect_and_no_body(rf, invoice, settings):
    settings.EBOK_X_ACCEL_REDIRECT_PREFIX = "/_private/"
    response = private_file_response(rf.get("/"), invoice, "faktura.pdf")
    assert response["X-Accel-Redirect"] == "/_private/documents/FV_2026_10_000001.pdf"
    assert response.content == b""
    assert response["Content-Disposition"].startswith('attachment; filename="faktura.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["../etc/passwd", "documents/../../x", "/etc/passwd", "documents/missing.pdf"])
def test_paths_outside_the_private_root_or_missing_are_404(rf, invoice, path):
    with pytest.raises(Http404):
        private_file_response(rf.get("/"), path, "x.pdf")


def test_a_filename_of_only_unsafe_characters_still_gets_a_name():
    assert ascii_filename('"\r\n;') == "plik"
    assert ascii_filename("Zażółć gęślą jaźń.pdf") == "Zazolc_gesla_jazn.pdf"


def test_a_stored_file_lands_under_the_private_root_and_never_overwrites_another(settings):
    first = store_private("cases/2026/a.pdf", ContentFile(b"%PDF-first"))
    second = store_private("cases/2026/a.pdf", ContentFile(b"%PDF-second"))
    assert first == "cases/2026/a.pdf" and second != first and second.startswith("cases/2026/a")
    assert (settings.PRIVATE_ROOT / first).read_bytes() == b"%PDF-first"
    assert (settings.PRIVATE_ROOT / second).read_bytes() == b"%PDF-second"
    delete_private(first)
    assert not (settings.PRIVATE_ROOT / first).exists()
