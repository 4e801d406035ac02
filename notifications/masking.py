"""Masks for personal data shown where the whole value is not needed (lists, logs, public pages).

The shapes follow what people in China are used to seeing on receipts and public notices:
138****1234 for a phone number, 张* for a name.
"""

import re

_NON_DIGITS = re.compile(r"\D")
# A mainland number is often written with its country code; the mask keeps the national part so
# that "+86 138 1234 5678" and "13812345678" look the same in a list.
_COUNTRY_CODE = re.compile(r"^(?:\+|00)86")


def mask_phone(phone: str) -> str:
    """Keep the first 3 and last 4 digits: 13812341234 → 138****1234.

    Numbers too short for that (extensions, short service numbers) keep only their first and
    last digit, so a mask never gives a whole number away.
    """
    digits = _NON_DIGITS.sub("", _COUNTRY_CODE.sub("", phone.strip()))
    if len(digits) >= 8:
        return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"
    if len(digits) >= 3:
        return f"{digits[0]}{'*' * (len(digits) - 2)}{digits[-1]}"
    return "*" * len(digits)


def mask_name(name: str) -> str:
    """Keep the first character: 张三 → 张*, 欧阳娜娜 → 欧***."""
    name = name.strip()
    if not name:
        return ""
    return f"{name[0]}{'*' * (len(name) - 1)}"


def mask_email(email: str) -> str:
    """Keep the first letter and the domain: zhang.san@example.com → z***@example.com."""
    email = email.strip()
    local, at, domain = email.rpartition("@")
    if not at:
        return mask_name(email)
    # A fixed number of stars, so the mask does not tell how long the address is.
    return f"{local[:1]}***@{domain}"
