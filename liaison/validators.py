from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Mobile (13812345678), landline with area code (0357-7221234) or with an extension (…转123).
phone_validator = RegexValidator(
    r"^\+?\d[\d\- ()]{4,24}(?:(?:转|#|ext\.?)\d{1,6})?$",
    _("Enter a valid phone number, for example 13812345678 or 0357-7221234."),
    code="invalid_phone",
)
