from cases.models import Case, Message
from tests import factories
from tests.queries import MAX_QUERIES


def _url(case):
    return f"/sprawy/{case.pk}/"


def test_it_shows_the_thread_with_both_sides_and_attachments(alice_client, alice):
    case = factories.make_case(alice.customer, body="Pytanie klienta")
    reply = factories.make_staff_message(case, "Odpowiedź biura")
    reply.attachments.create(path="cases/2026/x.pdf", filename="pismo.pdf", content_type="application/pdf", size=10)
    html = alice_client.get(_url(case)).content.decode()
    assert "Pytanie klienta" in html and "Odpowiedź biura" in html
    assert "pismo.pdf" in html
    assert html.index("Pytanie klienta") < html.index("Odpowiedź biura")


def test_showing_a_case_marks_staff_messages_read_and_labels_them_new_once(alice_client, alice):
    case = factories.make_case(alice.customer)
    reply = factories.make_staff_message(case)
    first = alice_client.get(_url(case))
    assert first.context["new_ids"] == {reply.pk}
    reply.refresh_from_db()
    assert reply.read_at is not None
    assert alice_client.get(_url(case)).context["new_ids"] == set()
    assert Message.objects.get(from_staff=False).read_at is None  # the customer's own stay unread-less


def test_a_reply_joins_the_thread_and_waits_for_staff(alice_client, alice):
    case = factories.make_case(alice.customer, waiting_for_staff=False)
    response = alice_client.post(
        _url(case), {"body": "Uzupełniam", "attachments": [factories.upload("dodatek.png", factories.PNG_BYTES)]}
    )
    assert response.status_code == 302
    message = case.messages.last()
    assert (message.body, message.from_staff, message.author) == ("Uzupełniam", False, alice)
    assert message.attachments.get().filename == "dodatek.png"
    case.refresh_from_db()
    assert case.waiting_for_staff


def test_a_bad_reply_keeps_the_text_and_names_the_file(alice_client, alice):
    case = factories.make_case(alice.customer)
    response = alice_client.post(
        _url(case), {"body": "Mój tekst", "attachments": [factories.upload("wirus.png", b"GIF89a....")]}
    )
    html = response.content.decode()
    assert "Plik „wirus.png” nie jest plikiem PDF, JPEG ani PNG." in html
    assert "Mój tekst</textarea>" in html
    assert case.messages.count() == 1


def test_an_empty_reply_is_refused_in_polish(alice_client, alice):
    case = factories.make_case(alice.customer)
    assert "Wpisz treść odpowiedzi." in alice_client.post(_url(case), {"body": ""}).content.decode()


def test_a_closed_case_says_so_and_offers_a_follow_up_instead_of_a_reply(alice_client, alice):
    case = factories.make_case(alice.customer, status=Case.Status.CLOSED)
    response = alice_client.get(_url(case))
    html = response.content.decode()
    assert response.context["form"] is None
    assert "Sprawa jest zakończona" in html
    assert f"/sprawy/nowa/?dotyczy={case.pk}" in html
    alice_client.post(_url(case), {"body": "Jednak jeszcze coś"})
    assert case.messages.count() == 1


def test_another_customers_case_is_not_found(alice_client, bob):
    case = factories.make_case(bob.customer)
    assert alice_client.get(_url(case)).status_code == 404
    assert alice_client.post(_url(case), {"body": "włamanie"}).status_code == 404
    assert case.messages.count() == 1


def test_another_customer_opening_the_case_does_not_mark_it_read(alice_client, bob):
    case = factories.make_case(bob.customer)
    reply = factories.make_staff_message(case)
    alice_client.get(_url(case))
    reply.refresh_from_db()
    assert reply.read_at is None


def test_the_thread_takes_the_same_number_of_queries_for_more_messages(alice_client, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = factories.make_case(alice.customer)

    def grow_and_count(n):
        for _ in range(n):
            message = factories.make_staff_message(case)
            message.attachments.create(path=f"cases/{message.pk}.pdf", filename="a.pdf", content_type="x", size=1)
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get(_url(case)).status_code == 200
        return len(queries)

    assert grow_and_count(3) == grow_and_count(27) <= MAX_QUERIES
