"""My account: the notice settings in a real browser, saved and accessible."""

from accounts.models import User
from tests import factories
from tests.browser.axe import assert_accessible


def test_a_customer_turns_reminders_off_and_picks_english(page, live_server, login_as, db):
    user = factories.make_user(factories.make_customer("200004"), email="konto@example.pl")
    login_as(user)
    page.goto("/moje-konto/")
    page.get_by_label("Przypominaj mi o zaległych płatnościach").uncheck()
    page.get_by_label("Język wiadomości e-mail").select_option("en")
    with page.expect_navigation():
        page.get_by_role("button", name="Zapisz powiadomienia").click()
    assert page.get_by_text("Zapisano ustawienia powiadomień.").is_visible()
    assert_accessible(page)
    user = User.objects.get(pk=user.pk)
    assert (user.language, user.notify_documents, user.notify_reminders) == ("en", True, False)
