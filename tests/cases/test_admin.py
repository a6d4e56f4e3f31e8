import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, Message
from ebok.models import OutboundEmail
from tests import factories
from tests.pages import login_redirect

LIST = "/admin/cases/case/"


def _change(case):
    return f"/admin/cases/case/{case.pk}/change/"


def _form(case, **kw):
    data = {"type": case.type_id, "status": case.status, "assignee": case.assignee_id or "", "reply": ""}
    data.update(kw)
    return data


@pytest.fixture
def staff_client(client, case_staff):
    factories.login_staff(client, case_staff)
    return client


@pytest.mark.django_db
def test_the_group_may_handle_cases_and_only_view_billing_data():
    perms = set(
        Group.objects.get(name="Obsługa klienta").permissions.values_list("content_type__app_label", "codename")
    )
    for model in ("case", "message", "attachment", "casetype"):
        assert {("cases", f"view_{model}"), ("cases", f"add_{model}"), ("cases", f"change_{model}")} <= perms
    billing = {codename for app, codename in perms if app == "billing"}
    assert billing == {"view_customer", "view_deliverypoint"}
    assert not any(codename.startswith("delete_") for _app, codename in perms)


def test_a_member_cannot_change_a_billing_customer(staff_client, alice):
    url = f"/admin/billing/customer/{alice.customer.pk}/change/"
    assert staff_client.get(url).status_code == 200  # read-only view
    response = staff_client.post(url, {"name": "Zmieniona", "kind": "osoba"})
    assert response.status_code == 403
    alice.customer.refresh_from_db()
    assert alice.customer.name == "Alicja Nowak"


def test_a_customer_login_never_reaches_the_admin(alice_client):
    response = alice_client.get(LIST)
    assert response.status_code == 302
    assert response["Location"] == login_redirect(LIST, "admin:login")


def test_the_list_filters_by_status_type_assignee_and_waiting_for_us(staff_client, alice, case_staff):
    waiting = factories.make_case(alice.customer, subject="Czeka na nas")
    factories.make_case(
        alice.customer, subject="Odpowiedziane", waiting_for_staff=False, status="w_realizacji", assignee=case_staff
    )
    closed = factories.make_case(alice.customer, subject="Zamknięte", type_name="Inne", status="zakonczona")

    def listed(query):
        return {c.subject for c in staff_client.get(LIST + query).context["cl"].result_list}

    assert listed("") == {"Czeka na nas", "Odpowiedziane", "Zamknięte"}
    assert listed("?czeka=tak") == {"Czeka na nas", "Zamknięte"}
    assert listed("?czeka=nie") == {"Odpowiedziane"}
    assert listed("?status__exact=zakonczona") == {"Zamknięte"}
    assert listed(f"?type__id__exact={closed.type_id}") == {"Zamknięte"}
    assert listed(f"?assignee__id__exact={case_staff.pk}") == {"Odpowiedziane"}
    assert listed(f"?q={waiting.number}") == {"Czeka na nas"}
    assert listed("?q=Odpowiedziane") == {"Odpowiedziane"}
    assert listed("?q=100001") == {"Czeka na nas", "Odpowiedziane", "Zamknięte"}


def test_the_list_takes_the_same_number_of_queries_for_more_cases(staff_client, alice):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(LIST).status_code == 200
        return len(queries)

    for _ in range(3):
        factories.make_case(alice.customer)
    small = count()
    for _ in range(27):
        factories.make_case(alice.customer)
    assert count() == small


def test_the_case_page_shows_the_thread_and_whether_the_customer_read_each_reply(staff_client, alice):
    case = factories.make_case(alice.customer, body="Pytanie odbiorcy")
    factories.make_staff_message(case, "Pierwsza odpowiedź", read=True)
    factories.make_staff_message(case, "Druga odpowiedź")
    html = staff_client.get(_change(case)).content.decode()
    assert "Pytanie odbiorcy" in html
    assert "przeczytana przez odbiorcę 01.11.2026 13:00" in html
    assert "jeszcze nieprzeczytana przez odbiorcę" in html
    assert 'enctype="multipart/form-data"' in html


def test_a_reply_with_attachments_reaches_the_thread_and_notifies_with_a_link_only(
    staff_client, alice, case_staff, send_queued_mail
):
    case = factories.make_case(alice.customer)
    files = [factories.upload("decyzja.pdf"), factories.upload("zdjecie.jpg", factories.JPEG_BYTES)]
    response = staff_client.post(_change(case), _form(case, reply="Tajna treść odpowiedzi", reply_attachments=files))
    assert response.status_code == 302
    reply = case.messages.get(from_staff=True)
    assert (reply.body, reply.author, reply.read_at) == ("Tajna treść odpowiedzi", case_staff, None)
    assert sorted(a.filename for a in reply.attachments.all()) == ["decyzja.pdf", "zdjecie.jpg"]
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS  # an answered new case is being handled
    assert not case.waiting_for_staff
    assert list(OutboundEmail.objects.values_list("template", flat=True)) == ["case-reply"]  # queued, not sent inline
    assert mail.outbox == []
    [email] = send_queued_mail()
    assert email.to == ["alice@example.pl"]
    assert case.number in email.subject
    assert f"/sprawy/{case.pk}/" in email.body
    assert "Tajna treść" not in email.body
    assert "Tajna treść" not in email.alternatives[0][0]


def test_a_bad_staff_attachment_is_refused_with_the_file_named(staff_client, alice):
    case = factories.make_case(alice.customer)
    bad = factories.upload("makro.pdf", b"PK\x03\x04 zip")
    response = staff_client.post(_change(case), _form(case, reply="Odpowiedź", reply_attachments=[bad]))
    assert response.status_code == 200
    assert "Plik „makro.pdf” nie jest plikiem PDF, JPEG ani PNG." in response.content.decode()
    assert not Message.objects.filter(from_staff=True).exists()


def test_a_status_change_alone_sends_a_status_notice(staff_client, alice, send_queued_mail):
    case = factories.make_case(alice.customer, status="w_realizacji")
    staff_client.post(_change(case), _form(case, status="zakonczona"))
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    [email] = send_queued_mail()
    assert "Zakończona" in email.subject
    assert f"/sprawy/{case.pk}/" in email.body


def test_assigning_a_case_sends_nothing(staff_client, alice, case_staff, send_queued_mail):
    case = factories.make_case(alice.customer)
    staff_client.post(_change(case), _form(case, assignee=case_staff.pk))
    case.refresh_from_db()
    assert case.assignee == case_staff
    assert send_queued_mail() == []


def test_a_customer_cannot_be_made_the_assignee(staff_client, alice):
    case = factories.make_case(alice.customer)
    response = staff_client.post(_change(case), _form(case, assignee=alice.pk))
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.assignee is None


def test_staff_cannot_add_cases_in_the_admin(staff_client):
    assert staff_client.get("/admin/cases/case/add/").status_code == 403


def test_staff_download_attachments_through_the_admin_and_customers_cannot(staff_client, alice, settings, client):
    case = factories.make_case(alice.customer)
    (settings.PRIVATE_ROOT / "cases").mkdir()
    (settings.PRIVATE_ROOT / "cases" / "a.pdf").write_bytes(factories.PDF_BYTES)
    attachment = case.messages.get().attachments.create(
        path="cases/a.pdf", filename="a.pdf", content_type="application/pdf", size=1
    )
    url = f"/admin/cases/case/zalacznik/{attachment.pk}/"
    response = staff_client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == login_redirect(url, "admin:login")


def test_staff_without_the_group_cannot_see_cases(client, staff, alice):
    case = factories.make_case(alice.customer)
    factories.login_staff(client, staff)
    assert client.get(_change(case)).status_code == 403


def test_a_member_can_add_a_case_type_that_customers_can_then_choose(staff_client, alice):
    from django.test import Client

    response = staff_client.post(
        "/admin/cases/casetype/add/",
        {"name": "Przyłączenie", "description": "nowe przyłącze do sieci", "is_active": "on", "order": 50},
    )
    assert response.status_code == 302
    customer = Client()
    customer.force_login(alice)
    page = customer.get("/sprawy/nowa/")
    options = [t.name for t in page.context["form"].fields["type"].queryset]
    assert options[-1] == "Przyłączenie"
    assert "Przyłączenie: nowe przyłącze do sieci" in page.content.decode()


def test_behind_nginx_staff_get_the_attachment_by_x_accel_redirect_and_a_missing_one_is_logged(
    staff_client, alice, settings, caplog
):
    settings.EBOK_X_ACCEL_REDIRECT_PREFIX = "/_private/"
    case = factories.make_case(alice.customer)
    (settings.PRIVATE_ROOT / "cases").mkdir()
    (settings.PRIVATE_ROOT / "cases" / "a.pdf").write_bytes(factories.PDF_BYTES)
    message = case.messages.get()
    pdf = {"content_type": "application/pdf", "size": 1}
    attachment = message.attachments.create(path="cases/a.pdf", filename="a.pdf", **pdf)
    response = staff_client.get(f"/admin/cases/case/zalacznik/{attachment.pk}/")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_private/cases/a.pdf" and response.content == b""
    gone = message.attachments.create(path="cases/gone.pdf", filename="b.pdf", **pdf)
    assert staff_client.get(f"/admin/cases/case/zalacznik/{gone.pk}/").status_code == 404
    assert "cases/gone.pdf" in caplog.text
