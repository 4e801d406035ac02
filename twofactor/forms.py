from django import forms
from django.utils.translation import gettext_lazy as _

from .services import TOTP_CODE, normalize_code

_CODE_ATTRS = {
    "autocomplete": "one-time-code",
    "autocapitalize": "off",
    "spellcheck": "false",
    "autofocus": True,
}


class VerifyForm(forms.Form):
    """The second step of the login: a code from the authenticator app or a recovery code."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=32,
        help_text=_(
            "The 6-digit code your authenticator app shows for this account. Lost your phone? "
            "Type one of your recovery codes instead."
        ),
        widget=forms.TextInput(attrs=_CODE_ATTRS),
        error_messages={"required": _("Enter the verification code.")},
    )

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data["code"])
        # A recovery code is 8 letters and digits; anything else cannot be one of ours.
        if not (TOTP_CODE.fullmatch(code) or (len(code) == 8 and code.isalnum())):
            raise forms.ValidationError(
                _("A verification code is 6 digits; a recovery code is 8 letters and digits.")
            )
        return code


class EnrolForm(forms.Form):
    """Confirms that the authenticator app holds the secret: the code it shows now."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=16,
        help_text=_("The 6-digit code the app shows after you scanned the QR code."),
        widget=forms.TextInput(attrs={**_CODE_ATTRS, "inputmode": "numeric"}),
        error_messages={"required": _("Enter the verification code.")},
    )

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data["code"])
        if not TOTP_CODE.fullmatch(code):
            raise forms.ValidationError(_("The verification code is 6 digits."))
        return code
