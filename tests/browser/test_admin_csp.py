"""The admin works under the production Content-Security-Policy: no violation on its pages."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.ebok.test_admin_otp import current_code
from tests.factories import PASSWORD, make_customer, make_staff, make_user


def test_staff_log_in_with_a_code_and_use_the_admin_without_csp_violations(page, live_server):
    staff = make_staff("kierownik", superuser=True)
    device = TOTPDevice.objects.create(user=staff, name="telefon", confirmed=True)
    customer_login = make_user(make_customer("100001"))
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: violations.append(str(e)))

    page.goto("/admin/")
    page.locator("#id_username").fill(staff.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_label("Kod z aplikacji uwierzytelniającej").fill(current_code(device))
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url("**/admin/")
    assert page.locator("#site-name").inner_text() == "eBOK: obsługa klienta"

    for url in (
        "/admin/accounts/user/",
        f"/admin/accounts/user/{customer_login.pk}/change/",
        "/admin/ebok/auditevent/",
        "/admin/accounts/user/add/",
    ):
        response = page.goto(url)
        assert response.status == 200, url
        assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.goto(f"/admin/accounts/user/{customer_login.pk}/change/")
    page.get_by_role("button", name="Zapisz", exact=True).click()
    page.wait_for_url("**/admin/accounts/user/")
    assert violations == []
