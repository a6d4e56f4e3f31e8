from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.urls import reverse

URL = reverse("accounts:logout")


def test_logout_by_post_ends_the_session_on_the_server(alice_client):
    key = alice_client.session.session_key
    response = alice_client.post(URL)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert not Session.objects.filter(session_key=key).exists()
    assert SESSION_KEY not in alice_client.session


def test_logout_by_get_is_refused(alice_client):
    assert alice_client.get(URL).status_code == 405
    assert SESSION_KEY in alice_client.session


def test_every_customer_page_has_the_logout_button_last_in_the_tabs(alice_client):
    page = alice_client.get(reverse("accounts:my_account")).content.decode()
    nav = page[page.index('aria-label="Menu klienta"') :]
    nav = nav[: nav.index("</nav>")]
    tabs = nav[: nav.rindex("</ul>")]
    assert tabs.rstrip().endswith("</li>")
    last_item = tabs[tabs.rindex('<li class="nav-item') :]
    assert f'action="{URL}"' in last_item and "Wyloguj" in last_item
    assert 'method="post"' in last_item
