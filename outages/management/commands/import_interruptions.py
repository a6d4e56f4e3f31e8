"""Import interruptions of heat supply from a CSV file (docs/outages.md has the format).

All or nothing: every row is checked first, and one bad row (reported with its line and the
reason) imports none. A row whose ``identyfikator`` was imported before updates that interruption;
importing the same file twice changes nothing and e-mails nobody twice.

    manage.py import_interruptions przerwy.csv [--dry-run]
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import DeliveryPoint
from outages import services
from outages.models import AffectedStreet, Interruption

COLUMNS = ["identyfikator", "rodzaj", "poczatek", "przewidywany_koniec", "koniec", "wezel", "punkty", "ulice", "opis"]
REQUIRED = ["identyfikator", "rodzaj", "poczatek", "przewidywany_koniec", "opis"]
DATETIME_FORMATS = ["%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
POINT_SEPARATOR = re.compile(r"[\s,]+")


class DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


@dataclass
class Row:
    line: int
    ref: str
    fields: dict
    points: list[str] = field(default_factory=list)
    streets: list[tuple[str, str]] = field(default_factory=list)


def _datetime(value: str, column: str) -> dt.datetime:
    for fmt in DATETIME_FORMATS:
        try:
            return timezone.make_aware(dt.datetime.strptime(value, fmt))
        except ValueError:
            continue
    raise ValueError(
        _("%(column)s: „%(value)s” nie jest datą i godziną w postaci RRRR-MM-DD GG:MM")
        % {"column": column, "value": value}
    )


def _streets(value: str) -> list[tuple[str, str]]:
    streets = []
    for entry in filter(None, (part.strip() for part in value.split("|"))):
        city, sep, street = entry.partition(":")
        if not sep or not city.strip() or not street.strip():
            raise ValueError(_("ulice: „%(entry)s” nie ma postaci Miejscowość: ulica") % {"entry": entry})
        streets.append((city.strip(), street.strip()))
    return streets


def _parse(record: dict, line: int) -> Row:
    values = {name: (record.get(name) or "").strip() for name in COLUMNS}
    missing = [name for name in REQUIRED if not values[name]]
    if missing:
        raise ValueError(_("brak wartości w kolumnach: %(columns)s") % {"columns": ", ".join(missing)})
    kinds = dict(Interruption.Kind.choices)
    if values["rodzaj"] not in kinds:
        raise ValueError(
            _("rodzaj: „%(value)s”, a może być: %(kinds)s") % {"value": values["rodzaj"], "kinds": ", ".join(kinds)}
        )
    fields = {
        "kind": values["rodzaj"],
        "starts_at": _datetime(values["poczatek"], "poczatek"),
        "expected_end_at": _datetime(values["przewidywany_koniec"], "przewidywany_koniec"),
        "ended_at": _datetime(values["koniec"], "koniec") if values["koniec"] else None,
        "substation": values["wezel"],
        "description": values["opis"],
    }
    row = Row(
        line=line,
        ref=values["identyfikator"],
        fields=fields,
        points=[code for code in POINT_SEPARATOR.split(values["punkty"]) if code],
        streets=_streets(values["ulice"]),
    )
    if not (row.fields["substation"] or row.points or row.streets):
        raise ValueError(_("przerwa nie dotyczy niczego: podaj wezel, punkty lub ulice"))
    candidate = Interruption(ref=row.ref, **fields)
    try:
        candidate.full_clean(exclude=["ref"])  # the same rules as in the admin (ref: an update is fine)
    except ValidationError as error:
        raise ValueError("; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items())) from None
    return row


def _line(number: int, reason: str) -> tuple[int, str]:
    return number, _("wiersz %(line)d: %(reason)s") % {"line": number, "reason": reason}


def read_rows(text: str) -> tuple[list[Row], list[str]]:
    """The file's rows and its errors ("wiersz 3: …"); a file with any error imports nothing."""
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        return [], [_line(1, _("brak kolumn: %(columns)s") % {"columns": ", ".join(missing)})[1]]
    reader.fieldnames = header
    rows, errors, seen = [], [], {}
    for record in reader:
        line = reader.line_num
        if None in record:
            errors.append(_line(line, _("więcej pól niż kolumn (średnik w tekście? ujmij tekst w cudzysłów)")))
            continue
        try:
            row = _parse(record, line)
        except ValueError as error:
            errors.append(_line(line, str(error)))
            continue
        if row.ref in seen:
            errors.append(
                _line(
                    line,
                    _("identyfikator %(ref)s był już w wierszu %(first)s") % {"ref": row.ref, "first": seen[row.ref]},
                )
            )
            continue
        seen[row.ref] = line
        rows.append(row)
    codes = {code for row in rows for code in row.points}
    known = set(DeliveryPoint.objects.filter(code__in=codes).values_list("code", flat=True))
    for row in rows:
        unknown = [code for code in row.points if code not in known]
        if unknown:
            errors.append(_line(row.line, _("nie ma punktów odbioru: %(codes)s") % {"codes": ", ".join(unknown)}))
    errors.sort(key=lambda e: e[0])
    return rows, [text for _n, text in errors]


def save_row(row: Row) -> services.Published:
    interruption = Interruption.objects.filter(ref=row.ref).first()
    if interruption is None:
        interruption = Interruption(ref=row.ref, **row.fields)
    else:
        previous = interruption.expected_end_at
        for name, value in row.fields.items():
            setattr(interruption, name, value)
        services.note_changes(interruption=interruption, previous_expected_end=previous)
    interruption.full_clean()
    interruption.save()
    interruption.points.set(row.points)
    wanted = set(row.streets)
    stored = {(s.city, s.street): s for s in interruption.streets.all()}
    AffectedStreet.objects.filter(pk__in=[s.pk for key, s in stored.items() if key not in wanted]).delete()
    AffectedStreet.objects.bulk_create(
        [AffectedStreet(interruption=interruption, city=c, street=s) for c, s in row.streets if (c, s) not in stored]
    )
    return services.publish(interruption=interruption)


class Command(BaseCommand):
    help = "Import interruptions of heat supply from a CSV file (docs/outages.md); all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="sprawdź plik i pokaż wynik, nic nie zapisuj")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(
                _("%(file)s: nie można odczytać pliku w UTF-8 (%(error)s)") % {"file": file, "error": error}
            ) from None
        rows, errors = read_rows(text)
        if errors:
            for error in errors:
                self.stderr.write(self.style.ERROR(error))
            raise CommandError(
                _("Błędne wiersze: %(count)d. Nie zaimportowano niczego; popraw plik i uruchom import ponownie.")
                % {"count": len(errors)}
            )
        points = emails = 0
        try:
            with transaction.atomic():
                for row in rows:
                    published = save_row(row)
                    points += published.points
                    emails += published.emails
                    if options["verbosity"] > 1:
                        self.stdout.write(f"{row.ref}: {published.points} / {published.emails}")
                if dry_run:
                    raise DryRun
        except DryRun:
            self.stdout.write(self.style.WARNING(_("Próba (--dry-run): nic nie zapisano.")))
        self.stdout.write(
            self.style.SUCCESS(
                _("Przerwy: %(rows)d, punkty odbioru: %(points)d, powiadomienia e-mail: %(emails)d.")
                % {"rows": len(rows), "points": points, "emails": emails}
            )
        )
