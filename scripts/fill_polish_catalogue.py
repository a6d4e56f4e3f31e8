"""Keep the Polish catalogue complete after ``makemessages`` (run by ``make messages``).

Polish is the source language: every msgid is already the Polish text, so the Polish
translation of a singular message is the msgid itself. Writing it into ``locale/pl`` keeps the
catalogue complete (a test checks that) and clears the "fuzzy" guesses msgmerge makes for new
strings. Plural messages need the three Polish forms (1 / 2-4 / 5+): the first and last are
the msgid and msgid_plural; the middle one ("2 dokumenty") is left for a person to write, and
this script names every such message until it is filled in.

Run from the project root: ``python scripts/fill_polish_catalogue.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

PO_PATH = Path(__file__).resolve().parent.parent / "locale" / "pl" / "LC_MESSAGES" / "django.po"
HEADER = {
    "Project-Id-Version": "eBOK",
    "Language": "pl",
    "PO-Revision-Date": "2026-11-24 04:00+0100",
    "Last-Translator": "eBOK developers",
    "Language-Team": "Polish",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    # The usual GNU gettext rule for Polish: 1 plik, 2-4 pliki (but 12-14 plików), 5+ plików.
    "Plural-Forms": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
}


def fill(po: polib.POFile) -> list[str]:
    """Fill the identity translations in place; return the plural msgids still needing a 2-4 form."""
    po.header = "eBOK: Polish catalogue (the source language; see scripts/fill_polish_catalogue.py)."
    po.metadata.update(HEADER)
    po.metadata_is_fuzzy = []  # a header marked fuzzy would be skipped by msgfmt
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            if "fuzzy" in entry.flags:
                # msgmerge guessed from a similar message: start again; the middle form is for a person.
                entry.msgstr_plural = {}
            forms = entry.msgstr_plural
            forms[0] = forms.get(0) or entry.msgid
            forms[2] = forms.get(2) or entry.msgid_plural
            forms.setdefault(1, "")
            if not forms[1]:
                missing.append(entry.msgid)
        elif not entry.msgstr or "fuzzy" in entry.flags:
            # A few msgids are not Polish (Django's "Polish" in settings.LANGUAGES): those keep
            # the translation a person wrote.
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    return missing


def main() -> int:
    po = polib.pofile(str(PO_PATH), wrapwidth=79)
    missing = fill(po)
    po.save()
    for msgid in missing:
        print(f"{PO_PATH}: write the 2-4 form (e.g. '2 dokumenty') of {msgid!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
