from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Mobile (13812345678), landline with area code (0357-7221234) or with an extension (…转123).
phone_validator = RegexValidator(
    r"^\+?\d[\d\- ()]{4,24}(?:(?:转|#|ext\.?)\d{1,6})?$",
    _("Enter a valid phone number, for example 13812345678 or 0357-7221234."),
    code="invalid_phone",
)


class CharacterClassesValidator:
    """A password mixes at least `min_classes` of: lower case, upper case, digits, other signs.

    For AUTH_PASSWORD_VALIDATORS, beside Django's length, common and numeric checks.
    """

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: object = None) -> None:
        classes = (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
        if sum(classes) < self.min_classes:
            raise ValidationError(self.message(), code="password_character_classes")

    def message(self) -> str:
        return _(
            "The password must mix at least %(count)d of these: lower-case letters, upper-case "
            "letters, digits and other signs."
        ) % {"count": self.min_classes}

    def get_help_text(self) -> str:
        return self.message()
