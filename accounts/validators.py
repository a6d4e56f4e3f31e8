"""Password rules from the seed ("Wymagania dot. hasła"), with Polish messages.

Each validator's help text is what the set-password page lists, so the page and the
check cannot disagree. ``client_rule`` tells the page's small script (static/js/password.js) how to
tick a rule off as the password is typed; the server still decides.
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext


class MinimumLengthValidator:
    def __init__(self, min_length: int = 6):
        self.min_length = min_length

    @property
    def client_rule(self) -> str:
        return f"min:{self.min_length}"

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(self.get_help_text(), code="password_too_short")

    def get_help_text(self) -> str:
        return ngettext(
            "Minimalna długość hasła %(n)d znak",
            "Minimalna długość hasła %(n)d znaków",
            self.min_length,
        ) % {"n": self.min_length}


class MaximumLengthValidator:
    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    @property
    def client_rule(self) -> str:
        return f"max:{self.max_length}"

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(self.get_help_text(), code="password_too_long")

    def get_help_text(self) -> str:
        return _("Hasło może mieć najwyżej %(n)d znaków") % {"n": self.max_length}


class _CharacterClassValidator:
    code = ""

    def test(self, char: str) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError

    def validate(self, password: str, user=None) -> None:
        if not any(self.test(c) for c in password):
            raise ValidationError(self.get_help_text(), code=self.code)


class UppercaseValidator(_CharacterClassValidator):
    code = "password_no_upper"
    client_rule = "upper"

    def test(self, char: str) -> bool:
        return char.isupper()

    def get_help_text(self) -> str:
        return _("Hasło musi zawierać przynajmniej jedną dużą literę")


class LowercaseValidator(_CharacterClassValidator):
    code = "password_no_lower"
    client_rule = "lower"

    def test(self, char: str) -> bool:
        return char.islower()

    def get_help_text(self) -> str:
        return _("Hasło musi zawierać przynajmniej jedną małą literę")


class DigitValidator(_CharacterClassValidator):
    code = "password_no_digit"
    client_rule = "digit"

    def test(self, char: str) -> bool:
        return char.isdigit()

    def get_help_text(self) -> str:
        return _("Hasło musi zawierać przynajmniej jedną cyfrę")


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Django's check, with the attribute named in the right case: "zbyt podobne do adresu e-mail"
    (Django's Polish puts the field's name as is: "zbyt podobne do adres e-mail")."""

    NAMES = {"username": gettext_lazy("loginu (numeru odbiorcy)"), "email": gettext_lazy("adresu e-mail")}

    def validate(self, password: str, user=None) -> None:
        for attribute in self.user_attributes:
            one = password_validation.UserAttributeSimilarityValidator([attribute], self.max_similarity)
            try:
                one.validate(password, user)
            except ValidationError:
                what = self.NAMES.get(attribute, _("Twoich danych"))
                raise ValidationError(
                    _("Hasło jest zbyt podobne do %(what)s.") % {"what": what}, code="password_too_similar"
                ) from None
