"""One typed form per kind of request. Each validates its own fields and gives ``filing()``: the
keyword arguments of ``services.request_file``. Only the customer's own points and documents can
be chosen: anything else is an invalid choice, as if it did not exist."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from billing.models import DeliveryPoint, Document
from cases.forms import AttachmentsField
from ebok.numbers import DecimalField
from heat.models import ComplaintReason, Kind, PowerChangeRule

HEATING_KINDS = (DeliveryPoint.Kind.HEATING, DeliveryPoint.Kind.BOTH)
MAX_DAYS_AHEAD = 366


def _date(label, **kw) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Podaj datę."), "invalid": _("Wpisz datę w postaci RRRR-MM-DD.")},
        **kw,
    )


def _time(label, **kw) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        input_formats=["%H:%M"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Podaj godzinę."), "invalid": _("Wpisz godzinę w postaci GG:MM, np. 08:00.")},
        **kw,
    )


def _degrees(label, *, minimum: str, maximum: str, **kw) -> DecimalField:
    field = DecimalField(
        label=label,
        max_digits=4,
        decimal_places=1,
        min_value=Decimal(minimum),
        max_value=Decimal(maximum),
        error_messages={
            "required": _("Podaj temperaturę."),
            "invalid": _("Wpisz temperaturę jako liczbę, np. 15 lub 15,5."),
            "max_decimal_places": _("Wpisz najwyżej jedną cyfrę po przecinku, np. 15,5."),
            "max_digits": _("Wpisz temperaturę jako liczbę, np. 15 lub 15,5."),
            "max_whole_digits": _("Wpisz temperaturę jako liczbę, np. 15 lub 15,5."),
            "min_value": _("Temperatura musi wynosić co najmniej %(limit_value)s °C."),
            "max_value": _("Temperatura może wynosić najwyżej %(limit_value)s °C."),
        },
        **kw,
    )
    field.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})
    return field


def point_label(point: DeliveryPoint) -> str:
    return f"{point.code}: {point.address}"


class RequestForm(forms.Form):
    """What every request has: optional remarks and attachments, and the customer it is filed for."""

    kind: str = ""
    comment = forms.CharField(
        label=_("Uwagi (opcjonalnie)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Uwagi mogą mieć najwyżej %(limit_value)d znaków (mają %(show_value)d).")},
    )
    attachments = AttachmentsField()

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.customer = customer
        # Remarks and attachments come last, after the kind's own fields.
        self.order_fields([name for name in self.fields if name not in ("comment", "attachments")])

    def points_queryset(self):
        return DeliveryPoint.objects.filter(customer=self.customer, kind__in=HEATING_KINDS)

    def _points_field(self, name="points", *, heating_only=True):
        field = self.fields[name]
        field.queryset = (
            self.points_queryset() if heating_only else DeliveryPoint.objects.filter(customer=self.customer)
        )
        field.label_from_instance = point_label

    def _moment(self, date_name: str, time_name: str) -> dt.datetime | None:
        """The date and time fields as one aware moment in the portal's time zone, checked to be ahead."""
        day, hour = self.cleaned_data.get(date_name), self.cleaned_data.get(time_name)
        if day is None or hour is None:
            return None
        moment = timezone.make_aware(dt.datetime.combine(day, hour))
        now = timezone.now()
        if moment < now - dt.timedelta(minutes=5):  # a few minutes' grace for the time spent typing
            self.add_error(date_name, gettext("Termin nie może być w przeszłości."))
            return None
        if moment > now + dt.timedelta(days=MAX_DAYS_AHEAD):
            self.add_error(date_name, gettext("Termin może być najwyżej rok naprzód."))
            return None
        return moment

    def filing(self) -> dict:
        data = self.cleaned_data
        return {"kind": self.kind, "comment": data.get("comment", ""), "files": data.get("attachments") or []}


def _points() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Punkty odbioru"),
        queryset=DeliveryPoint.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Zaznacz co najmniej jeden punkt odbioru."),
            "invalid_choice": _("Wybierz punkt odbioru z listy."),
            "invalid_pk_value": _("Wybierz punkt odbioru z listy."),
        },
    )


class HeatingForm(RequestForm):
    """Start or stop of central heating at chosen points with c.o., from a date and hour."""

    points = _points()
    date = _date(_("Data"))
    time = _time(_("Godzina"), help_text=_("Od kiedy, np. 06:00."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._points_field()
        self.fields["points"].help_text = _("Tylko punkty z centralnym ogrzewaniem (c.o.).")

    def clean(self):
        data = super().clean()
        data["requested_at"] = self._moment("date", "time")
        return data

    def filing(self) -> dict:
        data = self.cleaned_data
        return {**super().filing(), "points": list(data["points"]), "requested_at": data["requested_at"]}


class HeatingStartForm(HeatingForm):
    kind = Kind.HEATING_START


class HeatingStopForm(HeatingForm):
    kind = Kind.HEATING_STOP


class ControllerForm(RequestForm):
    """The weather controller: the outdoor temperature that switches heating on, night and weekend setbacks."""

    kind = Kind.CONTROLLER
    points = _points()
    switch_on = _degrees(
        _("Temperatura zewnętrzna włączenia ogrzewania [°C]"),
        minimum="5",
        maximum="20",
        initial=Decimal("15"),
        help_text=_("Ogrzewanie włącza się, gdy na zewnątrz jest chłodniej. Zwykle +15 °C."),
    )
    night = forms.BooleanField(label=_("Obniżenie nocne"), required=False)
    night_from = _time(_("Obniżenie nocne od godziny"), required=False, initial=dt.time(22))
    night_to = _time(_("Obniżenie nocne do godziny"), required=False, initial=dt.time(5))
    night_lower = _degrees(_("Obniżenie nocne o [°C]"), minimum="1", maximum="10", required=False, initial=Decimal("3"))
    weekend = forms.BooleanField(label=_("Obniżenie weekendowe (sobota i niedziela)"), required=False)
    weekend_from = _time(_("Obniżenie weekendowe od godziny"), required=False, initial=dt.time(0))
    weekend_to = _time(_("Obniżenie weekendowe do godziny"), required=False, initial=dt.time(6))
    weekend_lower = _degrees(
        _("Obniżenie weekendowe o [°C]"), minimum="1", maximum="10", required=False, initial=Decimal("2")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._points_field()

    def _setback(self, name: str) -> dict | None:
        data = self.cleaned_data
        if not data.get(name):
            return None
        start, end, lower = data.get(f"{name}_from"), data.get(f"{name}_to"), data.get(f"{name}_lower")
        for field, value, message in (
            (f"{name}_from", start, gettext("Podaj godzinę początku obniżenia.")),
            (f"{name}_to", end, gettext("Podaj godzinę końca obniżenia.")),
            (f"{name}_lower", lower, gettext("Podaj, o ile stopni obniżyć temperaturę.")),
        ):
            if value is None and field not in self.errors:
                self.add_error(field, message)
        if start is not None and end is not None and start == end:
            self.add_error(f"{name}_to", gettext("Koniec obniżenia musi być o innej godzinie niż początek."))
            return None
        if start is None or end is None or lower is None:
            return None
        return {"from": start.strftime("%H:%M"), "to": end.strftime("%H:%M"), "lower_c": str(lower)}

    def clean(self):
        data = super().clean()
        data["night_setting"] = self._setback("night")
        data["weekend_setting"] = self._setback("weekend")
        return data

    def filing(self) -> dict:
        data = self.cleaned_data
        settings = {
            "switch_on_c": str(data["switch_on"]),
            "night": data["night_setting"],
            "weekend": data["weekend_setting"],
        }
        return {**super().filing(), "points": list(data["points"]), "data": settings}


class PowerForm(RequestForm):
    """A new ordered power for one point, from a date the contract's rule allows."""

    kind = Kind.POWER
    point = forms.ModelChoiceField(
        label=_("Punkt odbioru"),
        queryset=DeliveryPoint.objects.none(),
        empty_label=_("— wybierz —"),
        error_messages={"required": _("Wybierz punkt odbioru."), "invalid_choice": _("Wybierz punkt odbioru z listy.")},
    )
    new_power = DecimalField(
        label=_("Nowa moc zamówiona [MW]"),
        max_digits=10,
        decimal_places=3,
        min_value=Decimal("0.001"),
        max_value=Decimal("999"),
        help_text=_("Np. 0,150. Obecną moc każdego punktu podaje tabela powyżej."),
        error_messages={
            "required": _("Podaj nową moc zamówioną."),
            "invalid": _("Wpisz moc jako liczbę w MW, np. 0,150."),
            "max_decimal_places": _("Wpisz najwyżej trzy cyfry po przecinku, np. 0,150."),
            "max_digits": _("Wpisz moc jako liczbę w MW, np. 0,150."),
            "max_whole_digits": _("Wpisz moc jako liczbę w MW, np. 0,150."),
            "min_value": _("Moc zamówiona musi być większa od zera."),
            "max_value": _("Moc zamówiona może wynosić najwyżej %(limit_value)s MW."),
        },
    )
    effective_from = _date(_("Zmiana od dnia"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._points_field("point", heating_only=False)
        self.fields["point"].label_from_instance = lambda p: (
            gettext("%(point)s (obecnie %(power)s MW)")
            % {
                "point": point_label(p),
                "power": formats.number_format(p.ordered_power_mw, 3),
            }
        )
        self.fields["new_power"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        self.rule = PowerChangeRule.active()
        today = timezone.localdate()
        self.earliest = self.rule.earliest(today) if self.rule else today + dt.timedelta(days=1)
        self.fields["effective_from"].initial = self.earliest
        if self.rule:
            self.fields["effective_from"].help_text = gettext(
                "Zgodnie z umową zmiana obowiązuje od %(effective)s, jeśli wniosek wpłynie do %(deadline)s. "
                "Najwcześniej: %(earliest)s."
            ) % {
                "effective": f"{self.rule.effective_day:02d}.{self.rule.effective_month:02d}",
                "deadline": f"{self.rule.deadline_day:02d}.{self.rule.deadline_month:02d}",
                "earliest": formats.date_format(self.earliest, "d.m.Y"),
            }

    def clean_effective_from(self):
        day = self.cleaned_data["effective_from"]
        earliest = formats.date_format(self.earliest, "d.m.Y")
        today = timezone.localdate()
        if self.rule is None:
            if day <= today:
                raise forms.ValidationError(
                    gettext("Zmiana może obowiązywać najwcześniej od %(earliest)s.") % {"earliest": earliest},
                    code="early",
                )
            return day
        if not self.rule.is_effective_day(day):
            raise forms.ValidationError(
                gettext(
                    "Według umowy moc zamówiona zmienia się tylko od %(effective)s. "
                    "Najwcześniejszy możliwy termin: %(earliest)s."
                )
                % {"effective": f"{self.rule.effective_day:02d}.{self.rule.effective_month:02d}", "earliest": earliest},
                code="not_effective_day",
            )
        if day <= today or today > self.rule.deadline_for(day):
            raise forms.ValidationError(
                gettext(
                    "Zmianę od %(day)s trzeba było zgłosić do %(deadline)s. "
                    "Najwcześniejszy możliwy termin: %(earliest)s."
                )
                % {
                    "day": formats.date_format(day, "d.m.Y"),
                    "deadline": formats.date_format(self.rule.deadline_for(day), "d.m.Y"),
                    "earliest": earliest,
                },
                code="too_late",
            )
        if day.year > today.year + 2:
            raise forms.ValidationError(gettext("Zmianę można zgłosić najwyżej na dwa lata naprzód."), code="too_far")
        return day

    def clean(self):
        data = super().clean()
        point, power = data.get("point"), data.get("new_power")
        if point is not None and power is not None and power == point.ordered_power_mw:
            self.add_error("new_power", gettext("To jest obecna moc zamówiona tego punktu: podaj nową."))
        return data

    def filing(self) -> dict:
        data = self.cleaned_data
        values = {"current_mw": str(data["point"].ordered_power_mw), "new_mw": str(data["new_power"])}
        return {
            **super().filing(),
            "points": [data["point"]],
            "effective_from": data["effective_from"],
            "data": values,
        }


class RefillForm(RequestForm):
    """Refilling the building's installation with network water, at a date and hour."""

    kind = Kind.REFILL
    points = _points()
    date = _date(_("Data"))
    time = _time(_("Godzina"))
    volume = DecimalField(
        label=_("Szacowana ilość wody [m³] (opcjonalnie)"),
        required=False,
        max_digits=6,
        decimal_places=1,
        min_value=Decimal("0.1"),
        max_value=Decimal("1000"),
        error_messages={
            "invalid": _("Wpisz ilość jako liczbę, np. 2,5."),
            "max_decimal_places": _("Wpisz najwyżej jedną cyfrę po przecinku, np. 2,5."),
            "max_digits": _("Wpisz ilość jako liczbę, np. 2,5."),
            "max_whole_digits": _("Wpisz ilość jako liczbę, np. 2,5."),
            "min_value": _("Ilość musi wynosić co najmniej %(limit_value)s m³."),
            "max_value": _("Ilość może wynosić najwyżej %(limit_value)s m³."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._points_field()
        self.fields["volume"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self):
        data = super().clean()
        data["requested_at"] = self._moment("date", "time")
        return data

    def filing(self) -> dict:
        data = self.cleaned_data
        volume = {"volume_m3": str(data["volume"]) if data.get("volume") is not None else None}
        return {
            **super().filing(),
            "points": list(data["points"]),
            "requested_at": data["requested_at"],
            "data": volume,
        }


class InterruptionForm(RequestForm):
    """Heat cut off at the customer's request, for works in the building."""

    kind = Kind.INTERRUPTION
    MAX_DAYS = 14
    points = _points()
    start_date = _date(_("Początek przerwy: data"))
    start_time = _time(_("Początek przerwy: godzina"))
    end_date = _date(_("Koniec przerwy: data"))
    end_time = _time(_("Koniec przerwy: godzina"))
    works = forms.CharField(
        label=_("Jakie prace będą prowadzone"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Np. wymiana pionu c.o. w klatce B, wykonawca i telefon do niego."),
        error_messages={
            "required": _("Opisz prace, dla których potrzebna jest przerwa."),
            "max_length": _("Opis może mieć najwyżej %(limit_value)d znaków (ma %(show_value)d)."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._points_field(heating_only=False)

    def clean(self):
        data = super().clean()
        start = self._moment("start_date", "start_time")
        end_day, end_hour = data.get("end_date"), data.get("end_time")
        end = timezone.make_aware(dt.datetime.combine(end_day, end_hour)) if end_day and end_hour else None
        if start and end:
            if end <= start:
                self.add_error("end_date", gettext("Koniec przerwy musi być później niż jej początek."))
            elif end - start > dt.timedelta(days=self.MAX_DAYS):
                self.add_error(
                    "end_date", gettext("Przerwa może trwać najwyżej %(days)s dni.") % {"days": self.MAX_DAYS}
                )
        data["requested_at"], data["requested_until"] = start, end
        return data

    def filing(self) -> dict:
        data = self.cleaned_data
        return {
            **super().filing(),
            "points": list(data["points"]),
            "requested_at": data["requested_at"],
            "requested_until": data["requested_until"],
            "data": {"works": data["works"]},
        }


class ComplaintForm(RequestForm):
    """A complaint about one of the customer's documents: which one, and what is wrong with it."""

    kind = Kind.COMPLAINT
    document = forms.ModelChoiceField(
        label=_("Dokument"),
        queryset=Document.objects.none(),
        empty_label=_("— wybierz —"),
        help_text=_("Faktura, korekta, rozliczenie lub nota, której dotyczy reklamacja."),
        error_messages={"required": _("Wybierz dokument."), "invalid_choice": _("Wybierz dokument z listy.")},
    )
    reason = forms.ChoiceField(
        label=_("Co jest nie tak"),
        choices=[("", _("— wybierz —")), *ComplaintReason.choices],
        error_messages={"required": _("Wybierz, co jest nie tak."), "invalid_choice": _("Wybierz powód z listy.")},
    )
    description = forms.CharField(
        label=_("Opis"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Co się nie zgadza i jak powinno być, np. odczyt licznika z dnia odczytu."),
        error_messages={
            "required": _("Opisz, co jest nie tak z dokumentem."),
            "max_length": _("Opis może mieć najwyżej %(limit_value)d znaków (ma %(show_value)d)."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["document"]
        field.queryset = Document.objects.filter(customer=self.customer).order_by("-issue_date", "-number")
        field.label_from_instance = lambda d: (
            gettext("%(number)s z %(date)s, %(gross)s zł")
            % {
                "number": d.number,
                "date": formats.date_format(d.issue_date, "d.m.Y"),
                "gross": formats.number_format(d.gross, 2, force_grouping=True),
            }
        )

    def filing(self) -> dict:
        data = self.cleaned_data
        return {
            **super().filing(),
            "document": data["document"],
            "data": {"reason": data["reason"], "description": data["description"]},
        }


FORMS: dict[str, type[RequestForm]] = {
    Kind.HEATING_START: HeatingStartForm,
    Kind.HEATING_STOP: HeatingStopForm,
    Kind.CONTROLLER: ControllerForm,
    Kind.POWER: PowerForm,
    Kind.REFILL: RefillForm,
    Kind.INTERRUPTION: InterruptionForm,
    Kind.COMPLAINT: ComplaintForm,
}
