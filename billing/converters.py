"""URL converters for the export's keys (docs/billing-export.md, "Keys")."""

from billing.validators import KEY_PATTERN


class KeyConverter:
    regex = KEY_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
