import pytest

from cases.forms import MAX_FILE_SIZE
from cases.models import Attachment, Case, CaseType
from tests import factories
from tests.pages import login_redirect

URL = "/sprawy/nowa/"
# Case numbers and attachment folders carry the year of the day the case is sent: 2026 here.
pytestmark = pytest.mark.usefixtures("today")


def _data(**kw):
    data = {"type": CaseType.objects.get(name="Reklamacja").pk, "subject": "Zawyżony odczyt", "body": "Odczyt 1234 GJ."}
    data.update(kw)
    return data


def test_it_shows_the_form_with_the_four_types(alice_client):
    response = alice_client.get(URL)
    assert response.status_code == 200
    options = [t.name for t in response.context["form"].fields["type"].queryset]
    assert options == ["Ekonomiczne", "Techniczne", "Reklamacja", "Inne"]
    assert b'enctype="multipart/form-data"' in response.content


def test_it_hides_inactive_types(alice_client):
    CaseType.objects.filter(name="Inne").update(is_active=False)
    CaseType.objects.create(name="Przyłączenie", order=50)
    options = [t.name for t in alice_client.get(URL).context["form"].fields["type"].queryset]
    assert options == ["Ekonomiczne", "Techniczne", "Reklamacja", "Przyłączenie"]


def test_it_opens_a_case_with_a_number_and_confirms_by_email(alice_client, alice, send_queued_mail, settings):
    settings.EBOK_CASES_STAFF_EMAIL = "sprawy@mpec.example.pl"
    response = alice_client.post(URL, _data())
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/sprawy/{case.pk}/"
    assert case.number == "SP/2026/000001"
    assert case.customer == alice.customer
    assert case.status == Case.Status.NEW
    assert case.waiting_for_staff
    assert case.messages.get().body == "Odczyt 1234 GJ."
    outbox = send_queued_mail()
    by_recipient = {m.to[0]: m for m in outbox}
    assert set(by_recipient) == {"alice@example.pl", "sprawy@mpec.example.pl"}
    assert "SP/2026/000001" in by_recipient["alice@example.pl"].subject
    assert f"/sprawy/{case.pk}/" in by_recipient["alice@example.pl"].body
    assert "100001" in by_recipient["sprawy@mpec.example.pl"].subject
    assert f"/admin/cases/case/{case.pk}/change/" in by_recipient["sprawy@mpec.example.pl"].body
    page = alice_client.get(response["Location"])
    assert "SP/2026/000001" in page.content.decode()


def test_the_confirmation_goes_to_the_billing_email_when_the_login_has_none(alice_client, alice, send_queued_mail):
    alice.email = ""
    alice.save()
    alice_client.post(URL, _data())
    assert "odbiorca100001@example.pl" in [m.to[0] for m in send_queued_mail()]


def test_no_email_leaves_before_the_case_is_saved(alice_client, send_queued_mail):
    alice_client.post(URL, _data(subject=""))
    assert send_queued_mail() == []
    assert not Case.objects.exists()


def test_it_stores_attachments_privately_under_random_names(alice_client, settings):
    files = [factories.upload("skan.pdf"), factories.upload("zdjecie.png", factories.PNG_BYTES, "image/png")]
    alice_client.post(URL, {**_data(), "attachments": files})
    stored = list(Attachment.objects.order_by("pk"))
    assert [a.filename for a in stored] == ["skan.pdf", "zdjecie.png"]
    assert [a.content_type for a in stored] == ["application/pdf", "image/png"]
    for attachment in stored:
        assert attachment.path.startswith("cases/2026/")
        assert "skan" not in attachment.path and "zdjecie" not in attachment.path
        assert (settings.PRIVATE_ROOT / attachment.path).is_file()
    assert (settings.PRIVATE_ROOT / stored[0].path).read_bytes() == factories.PDF_BYTES


def test_it_accepts_a_jpeg_named_wrongly_because_the_content_decides(alice_client):
    alice_client.post(URL, {**_data(), "attachments": [factories.upload("zdjecie.pdf", factories.JPEG_BYTES)]})
    assert Attachment.objects.get().content_type == "image/jpeg"


def test_it_refuses_a_disguised_file_and_keeps_everything_typed(alice_client):
    fake = factories.upload("faktura.pdf", b"MZ\x90\x00 this is an exe", "application/pdf")
    data = _data(subject="Mój temat", body="Moja długa wiadomość")
    response = alice_client.post(URL, {**data, "attachments": [fake]})
    assert response.status_code == 200
    assert not Case.objects.exists()
    html = response.content.decode()
    assert "Plik „faktura.pdf” nie jest plikiem PDF, JPEG ani PNG." in html
    assert "wybierz je ponownie" in html
    assert 'value="Mój temat"' in html
    assert "Moja długa wiadomość</textarea>" in html
    assert f'<option value="{data["type"]}" selected>' in html
    assert 'href="#id_attachments"' in html  # the error summary links to the field


def test_it_refuses_a_file_over_ten_megabytes(alice_client):
    big = factories.upload("duzy.pdf", factories.PDF_BYTES + b"0" * MAX_FILE_SIZE)
    response = alice_client.post(URL, {**_data(), "attachments": [big]})
    assert "Plik „duzy.pdf” ma 10,0\xa0MB, a można dołączyć najwyżej 10 MB." in response.content.decode()
    assert not Case.objects.exists()


def test_it_accepts_a_file_of_exactly_ten_megabytes(alice_client):
    exact = factories.upload("dokladnie.pdf", factories.PDF_BYTES + b"0" * (MAX_FILE_SIZE - len(factories.PDF_BYTES)))
    alice_client.post(URL, {**_data(), "attachments": [exact]})
    assert Attachment.objects.get().size == MAX_FILE_SIZE


def test_it_refuses_more_than_five_files(alice_client):
    files = [factories.upload(f"plik{i}.pdf") for i in range(6)]
    response = alice_client.post(URL, {**_data(), "attachments": files})
    assert "Można dołączyć najwyżej 5 plików, wybrano 6." in response.content.decode()
    assert not Case.objects.exists()


def test_it_accepts_five_files(alice_client):
    alice_client.post(URL, {**_data(), "attachments": [factories.upload(f"plik{i}.pdf") for i in range(5)]})
    assert Attachment.objects.count() == 5


def test_it_offers_only_the_customers_own_delivery_points(alice_client, alice, bob):
    own = factories.make_point(factories.make_contract(alice.customer), "PO-ALICJA")
    foreign = factories.make_point(factories.make_contract(bob.customer), "PO-BOBEX")
    form = alice_client.get(URL).context["form"]
    assert list(form.fields["delivery_point"].queryset) == [own]
    response = alice_client.post(URL, _data(delivery_point=foreign.pk))
    assert "Wybierz punkt odbioru z listy." in response.content.decode()
    alice_client.post(URL, _data(delivery_point=own.pk))
    assert Case.objects.get().delivery_point == own


def test_it_asks_for_every_required_field_in_polish(alice_client):
    response = alice_client.post(URL, {})
    html = response.content.decode()
    for message in ("Wybierz typ sprawy.", "Wpisz temat sprawy.", "Wpisz treść wiadomości."):
        assert message in html


def test_a_follow_up_refers_to_the_closed_case(alice_client, alice):
    closed = factories.make_case(alice.customer, subject="Stara sprawa", status=Case.Status.CLOSED)
    response = alice_client.get(f"{URL}?dotyczy={closed.pk}")
    assert response.context["form"].initial["refers_to"] == closed
    assert closed.number in response.content.decode()
    alice_client.post(URL, _data(refers_to=closed.pk))
    assert Case.objects.exclude(pk=closed.pk).get().refers_to == closed


def test_a_follow_up_cannot_refer_to_another_customers_case(alice_client, bob):
    foreign = factories.make_case(bob.customer)
    assert alice_client.get(f"{URL}?dotyczy={foreign.pk}").status_code == 404
    response = alice_client.post(URL, _data(refers_to=foreign.pk))
    assert response.status_code == 200
    assert "Nie znaleziono sprawy, której ma dotyczyć nowa sprawa." in response.content.decode()
    assert Case.objects.count() == 1


def test_staff_and_anonymous_visitors_are_sent_to_login(client, staff):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"] == login_redirect(URL)
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"] == login_redirect(URL)


@pytest.mark.django_db
def test_the_form_is_csrf_protected(alice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(URL, _data()).status_code == 403


def test_each_type_has_a_plain_description_editable_in_the_admin(alice_client):
    page = alice_client.get(URL).content.decode()
    assert '<span class="d-block">Ekonomiczne: faktury, płatności, umowa</span>' in page
    assert "Techniczne: ogrzewanie, ciepła woda, liczniki, przyłącze" in page
    CaseType.objects.filter(name="Inne").update(description="pytania o portal")
    assert "Inne: pytania o portal" in alice_client.get(URL).content.decode()


def test_it_gives_the_emergency_number_for_a_heating_failure_and_the_time_of_answer(alice_client, settings):
    settings.EBOK_UTILITY_EMERGENCY_PHONE = "993"
    settings.EBOK_CASE_ANSWER_DAYS = 14
    page = alice_client.get(URL).content.decode()
    assert "Awaria ogrzewania lub ciepłej wody?" in page and '<a class="alert-link" href="tel:993">993</a>' in page
    assert "Odpowiadamy najpóźniej w ciągu 14 dni" in page


def test_the_error_prefix_of_the_title_comes_once(alice_client):
    page = alice_client.post(URL, {}).content.decode()
    assert "<title>Błąd: Nowa sprawa" in page
    assert page.count("Błąd:") == 1
