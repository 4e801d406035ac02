"""Chinese phone numbers: the citizen's identity here, so they are checked and stored one way."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_ACCEPTED = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def normalize_phone(raw: str) -> str:
    """A mainland mobile or landline number as digits: 13812345678, 03577221234.

    Raises ValidationError with a message that says what a valid number looks like.
    """
    text = (raw or "").strip()
    message = _("Enter a mainland mobile number (11 digits) or a landline with its area code.")
    if not text or len(text) > 30:
        raise ValidationError(message, code="invalid_phone")
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(message, code="invalid_phone") from None
    if (
        number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in _ACCEPTED
    ):
        raise ValidationError(message, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL).replace(
        " ", ""
    )


def last_digits(phone: str, n: int = 4) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return digits[-n:]


def is_mobile(phone: str) -> bool:
    """Whether a stored number can receive SMS (mainland mobiles: 11 digits starting with 1)."""
    return len(phone) == 11 and phone.startswith("1") and phone.isdigit()
