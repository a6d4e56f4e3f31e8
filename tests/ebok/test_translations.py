"""Polish and English: every string in the code is in both catalogues, the .mo files are current,
and pages, errors and e-mails come out in English when asked while Polish stays the default."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ebok import mail
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale"
LANGUAGES = ("pl", "en", "uk")
# The same options as `make messages` (see the Makefile).
MAKEMESSAGES = ["makemessages", "-l", "pl", "-l", "en", "-l", "uk", "--no-location", "--no-obsolete"]
MAKEMESSAGES += ["--ignore=.venv", "--ignore=staticfiles", "--ignore=bench"]
# What the copy of the project for makemessages leaves out: no source of messages in any of these.
NOT_SOURCE = (".venv", ".git", "staticfiles", "bench", "private", "demo-export", "__pycache__", ".*_cache", "locale")

# Letters only Polish uses, and a few common Polish words without them: either in an English page
# means a string was missed.
POLISH_LETTERS = re.compile(r"\w*[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]\w*")
POLISH_WORDS = re.compile(r"\b(Brak|Nie|nie|oraz|jest|dla|lub|albo|Numer|Kwota|Umowa|Dokumenty|Liczniki|Zapisz)\b")
# Test data that is Polish on purpose (the factories' street) and the currency, not UI text.
DATA_WORDS = {"Wolności", "zł"}


def _key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def _done(entry: polib.POEntry, nplurals: int) -> bool:
    """Translated, not fuzzy, and with every plural form the language has."""
    if entry.obsolete or "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        forms = entry.msgstr_plural
        return sorted(forms) == list(range(nplurals)) and all(forms.values())
    return bool(entry.msgstr)


def _nplurals(po: polib.POFile) -> int:
    return int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))


@pytest.fixture(scope="module")
def msgids_in_code(tmp_path_factory) -> set[tuple[str, str]]:
    """Every (context, msgid) the code has now, extracted as `make messages` does, into a copy of
    the project so the real catalogues are not touched."""
    copy = tmp_path_factory.mktemp("project") / "ebok"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_SOURCE), symlinks=True)
    subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=copy,
        check=True,
        capture_output=True,
        timeout=120,
    )
    po = polib.pofile(str(copy / "locale" / "pl" / "LC_MESSAGES" / "django.po"))
    return {_key(entry) for entry in po if not entry.obsolete}


def _describe(keys) -> str:
    return "\n".join(f"  {ctx + ' | ' if ctx else ''}{msgid!r}" for ctx, msgid in sorted(keys))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_in_the_code_is_translated_in_the_catalogue(language, msgids_in_code):
    po = _catalogue(language)
    nplurals = _nplurals(po)
    done = {_key(entry) for entry in po if _done(entry, nplurals)}
    missing = msgids_in_code - done
    assert not missing, (
        f"{len(missing)} strings are missing, untranslated or fuzzy in locale/{language}: run `make messages`, "
        f"translate them, run it again.\n{_describe(missing)}"
    )


def test_the_extraction_finds_the_strings_of_templates_python_and_plurals(msgids_in_code):
    # Guards the test above against an extraction that silently finds nothing.
    assert ("", "Numer odbiorcy") in msgids_in_code  # forms (Python)
    assert ("", "Przejdź do treści") in msgids_in_code  # base.html
    assert ("", "Dzień dobry,") in msgids_in_code  # e-mail templates (.txt)
    assert ("", "%(n)s dokument") in msgids_in_code  # plural
    assert ("skrót miesiąca", "sty") in msgids_in_code  # context


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_catalogue_entry_is_fuzzy_or_empty(language):
    po = _catalogue(language)
    nplurals = _nplurals(po)
    unfinished = {_key(entry) for entry in po if not entry.obsolete and not _done(entry, nplurals)}
    assert not unfinished, f"unfinished entries in locale/{language}:\n{_describe(unfinished)}"
    assert not po.metadata_is_fuzzy


def test_polish_has_three_plural_forms():
    assert _nplurals(_catalogue("pl")) == 3
    with translation.override("pl"):
        for n, expected in ((1, "1 dokument"), (3, "3 dokumenty"), (5, "5 dokumentów"), (12, "12 dokumentów")):
            assert translation.ngettext("%(n)s dokument", "%(n)s dokumentów", n) % {"n": n} == expected
        assert translation.ngettext("%(n)s dokument", "%(n)s dokumentów", 22) % {"n": 22} == "22 dokumenty"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_po_file(language, tmp_path):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    compiled = tmp_path / "django.mo"
    # The same call as compilemessages makes.
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext is needed: apt-get install gettext"
    subprocess.run([msgfmt, "--check-format", "-o", compiled, po], check=True, capture_output=True, timeout=60)  # noqa: S603
    assert compiled.read_bytes() == po.with_suffix(".mo").read_bytes(), (
        f"locale/{language}/LC_MESSAGES/django.mo is stale: run `make messages`"
    )


# --- pages, errors and e-mails ---


@pytest.fixture
def ascii_utility(settings):
    """The utility's name and address are data, in Polish; plain ones keep the checks on UI text."""
    settings.EBOK_UTILITY_NAME = "MPEC Mielec"
    settings.EBOK_UTILITY_ADDRESS = "1 Cieplownicza St, 39-300 Mielec"


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    attributes = " ".join(re.findall(r'(?:aria-label|title|alt|placeholder)="([^"]*)"', html))
    return re.sub(r"<[^>]+>", " ", html) + " " + attributes


def _polish_in(text: str) -> set[str]:
    found = set(POLISH_LETTERS.findall(text)) | set(POLISH_WORDS.findall(text))
    return found - DATA_WORDS


def _assert_english(response) -> None:
    body = response.content.decode()
    assert '<html lang="en">' in body
    polish = _polish_in(_visible_text(body))
    assert not polish, f"{response.request['PATH_INFO']} still shows Polish: {sorted(polish)}"


def test_polish_is_the_default_without_a_cookie_or_header(client, db):
    response = client.get(reverse("accounts:login"))
    body = response.content.decode()
    assert '<html lang="pl">' in body
    assert "Zaloguj się" in body


def test_the_login_page_is_english_once_chosen(client, db, ascii_utility):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "Log in" in response.content.decode()
    _assert_english(response)


def test_the_footer_switch_keeps_the_site_in_english_then_back_in_polish(client, db, ascii_utility):
    login = reverse("accounts:login")
    response = client.post(reverse("set_language"), {"language": "en", "next": login})
    assert response.status_code == 302
    assert response["Location"] == login
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    _assert_english(client.get(login))
    # The cookie wins over a Polish browser, and the switch works the other way too.
    assert "Log in" in client.get(login, headers={"accept-language": "pl"}).content.decode()
    client.post(reverse("set_language"), {"language": "pl", "next": login})
    assert "Zaloguj się" in client.get(login).content.decode()


def test_the_footer_offers_ukrainian_and_the_site_then_reads_in_it(client, db):
    login = reverse("accounts:login")
    footer = client.get(login).content.decode()
    for option in ('lang="pl">Polski', 'lang="en">English', 'lang="uk">Українська'):
        assert option in footer
    client.post(reverse("set_language"), {"language": "uk", "next": login})
    page = client.get(login).content.decode()
    assert '<html lang="uk">' in page
    assert "Увійти" in page and "Забули пароль?" in page and "Zaloguj się" not in page
    with translation.override("uk"):
        assert translation.ngettext("%(n)s dokument", "%(n)s dokumentów", 3) % {"n": 3} == "3 документи"


def test_every_public_page_reads_in_english(client, db, ascii_utility):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for name in (
        "home",
        "accounts:login",
        "accounts:register",
        "accounts:register_sent",
        "accounts:password_reset",
        "accounts:password_reset_sent",
        "accounts:password_saved",
        "accounts:terms",
        "accounts:privacy",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        _assert_english(response)
    expired = client.get(reverse("accounts:set_password", args=["no-such-token"]))
    assert "This link is no longer valid" in expired.content.decode()
    _assert_english(expired)


def test_every_customer_page_reads_in_english(client, alice, ascii_utility, today):
    objects = factories.make_history(alice.customer, 14, start=dt.date(2025, 10, 1))
    case = factories.make_case(alice.customer, subject="Invoice question", body="Please explain the fixed charge.")
    factories.make_staff_message(case, body="We have checked it.")
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    pages = [
        reverse("start"),
        reverse("billing:contracts"),
        reverse("billing:points"),
        reverse("billing:point", args=[objects["point"].code]),
        reverse("billing:payments"),
        reverse("billing:documents"),
        reverse("meters:list"),
        reverse("meters:self_reading", args=[objects["meter"].serial]),
        reverse("cases:list"),
        reverse("cases:new"),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:messages"),
        reverse("cases:search") + "?q=invoice",
        reverse("accounts:my_account"),
        reverse("accounts:change_password"),
        reverse("accounts:change_email"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_english(response)
    assert "Billing and payments" in client.get(reverse("cases:list")).content.decode()
    # Two-step verification: the introduction, then the QR code page once the password is confirmed.
    _assert_english(client.get(reverse("accounts:two_factor_enable")))
    response = client.post(reverse("accounts:two_factor_enable"), {"password": factories.PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:two_factor_confirm")
    _assert_english(response)


def test_a_form_error_reads_in_english(client, alice, ascii_utility):
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("cases:new"), {"subject": "", "body": ""})
    body = response.content.decode()
    assert "Enter the subject of the case." in body
    _assert_english(response)


def test_the_404_and_403_pages_read_in_english(client, db, ascii_utility):
    from django.test import Client

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/nie-ma-takiej-strony/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    _assert_english(response)
    forged = Client(enforce_csrf_checks=True)
    forged.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = forged.post(reverse("set_language"), {"language": "en"})
    assert response.status_code == 403
    assert "Access denied" in response.content.decode()
    _assert_english(response)


@pytest.mark.urls("tests.ebok.urls_for_tests")
def test_the_503_and_500_pages_read_in_english(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/database-gone/")
    assert response.status_code == 503
    assert "Service temporarily unavailable" in response.content.decode()
    _assert_english(response)
    client.raise_request_exception = False
    response = client.get("/crash/")
    assert response.status_code == 500
    assert "Sorry, an error occurred" in response.content.decode()
    _assert_english(response)


def _email_context(customer) -> dict:
    case = factories.make_case(customer, subject="Invoice question")
    point = factories.make_point(factories.make_contract(customer))
    meter = factories.make_meter(point)
    return {
        "customer_number": customer.number,
        "customer": customer,
        "url": "https://ebok.example.com/link/",
        "reset_url": "https://ebok.example.com/reset/",
        "login_url": "https://ebok.example.com/login/",
        "case_url": "https://ebok.example.com/case/",
        "admin_url": "https://ebok.example.com/admin/",
        "new_email": "new@example.com",
        "hours": 24,
        "minutes": 60,
        "case": case,
        "status_changed": True,
        "meter": meter,
        "self_reading": SimpleNamespace(value=1234.567, reading_date=dt.date(2026, 11, 20)),
        "reason": "The photo is unreadable.",
        # Access for representatives (issue #12).
        "days": 7,
        "inviter": customer.number,
        "role": "proxy",
        "login": "manager@example.com",
        "event": "accepted",
        "side": "owner",
    }


def test_every_email_reads_in_english_and_polish_stays_the_default(alice, ascii_utility):
    context = _email_context(alice.customer)
    names = sorted({p.name.rsplit("-", 1)[0] for p in (ROOT / "templates" / "emails").glob("*-subject.txt")})
    assert len(names) >= 10
    for name in names:
        subject, text, html = mail.render(name, context, language="en")
        polish = _polish_in(" ".join((subject, text, _visible_text(html))))
        assert not polish, f"e-mail {name} still has Polish: {sorted(polish)}"
        assert _polish_in(" ".join(mail.render(name, context)[:2])), f"e-mail {name} should be Polish by default"
    subject, text, _ = mail.render("case-reply", context, language="en")
    assert subject == f"Reply in case {context['case'].number} (customer {alice.customer.number})"
    assert text.startswith("Hello,")
    assert f"Customer no.: {alice.customer.number} ({alice.customer.name})" in text


def test_the_fill_script_writes_the_polish_text_and_names_plurals_needing_a_2_to_4_form():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from fill_polish_catalogue import fill
    finally:
        sys.path.pop(0)
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Numer odbiorcy", msgstr=""))
    po.append(polib.POEntry(msgid="Zapisz", msgstr="Zapisać", flags=["fuzzy"]))  # msgmerge's guess
    po.append(polib.POEntry(msgid="Polish", msgstr="polski"))  # written by a person: kept
    po.append(polib.POEntry(msgid="%(n)s plik", msgid_plural="%(n)s plików", msgstr_plural={0: "", 1: ""}))
    guess = {0: "Razem", 1: "Razem", 2: "Razem"}  # msgmerge's guess from a similar message
    po.append(polib.POEntry(msgid="%(n)s dzień", msgid_plural="%(n)s dni", msgstr_plural=guess, flags=["fuzzy"]))
    missing = fill(po)
    assert [e.msgstr for e in po][:3] == ["Numer odbiorcy", "Zapisz", "polski"]
    assert not any("fuzzy" in e.flags for e in po)
    assert po[3].msgstr_plural == {0: "%(n)s plik", 1: "", 2: "%(n)s plików"}
    assert po[4].msgstr_plural == {0: "%(n)s dzień", 1: "", 2: "%(n)s dni"}
    assert missing == ["%(n)s plik", "%(n)s dzień"]
    assert po.metadata["Plural-Forms"].startswith("nplurals=3;")


def test_each_customer_email_follows_the_language_of_their_login(alice, bob, staff, send_queued_mail, today):
    from accounts.services import notify_password_changed
    from cases.services import staff_update
    from meters.services import self_reading_reject, self_reading_submit

    alice.language = "en"
    alice.save(update_fields=["language"])
    objects = factories.make_history(alice.customer, 3, start=dt.date(2026, 8, 1))
    notify_password_changed(alice)
    notify_password_changed(bob)  # bob kept Polish
    staff_update(case=factories.make_case(alice.customer), staff_user=staff, body="We have checked it.")
    reading = self_reading_submit(meter=objects["meter"], value=objects["meter"].readings.last().value + 5)
    self_reading_reject(self_reading=reading, user=staff, reason="The photo is unreadable.")
    subjects = {(m.to[0], m.subject) for m in send_queued_mail()}
    assert ("alice@example.pl", "Your eBOK password has been changed") in subjects
    assert ("bob@example.pl", "Hasło do eBOK zostało zmienione") in subjects
    assert any(to == "alice@example.pl" and s.startswith("Reply in case ") for to, s in subjects), subjects
    meter = objects["meter"].serial
    assert ("alice@example.pl", f"The reading of meter {meter} has not been accepted (customer 100001)") in subjects


@pytest.mark.parametrize("event", ["invited", "accepted", "changed", "revoked", "granted", "requested"])
def test_each_access_email_reads_in_english(alice, ascii_utility, event):
    customer = factories.make_customer("300001", name="Housing Co-op 1", kind="firma")
    context = {
        "event": event,
        "side": "owner",
        "customer": customer,
        "login": "manager@example.com",
        "role": "proxy",
        "reference": "UP/1/2026",
        "date": dt.date(2026, 11, 30),
        "url": "https://ebok.example.com/link/",
    }
    subject, text, html = mail.render("access-changed", context, language="en")
    assert "300001" in text and "Housing Co-op 1" in text
    assert not _polish_in(" ".join((subject, text, _visible_text(html))))
