"""Short public codes: easy to read aloud and to type, hard to guess."""

import secrets

from django.db import models

# No 0/O, 1/I/L: codes are read over the phone and copied by hand from posters.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def random_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalize_code(raw: str) -> str:
    """A code as typed or scanned, in the stored form. A NUL byte cannot be in a code (and
    PostgreSQL refuses it in a query), so it is dropped: such a code then matches nothing."""
    return raw.replace("\x00", "").strip().upper()


def new_unique_code(model: type[models.Model], *, field: str = "code", length: int = 6) -> str:
    """A fresh code not yet used by `model`; 31**6 ≈ 887 million, so retries are rare."""
    for _attempt in range(10):
        code = random_code(length)
        if not model._default_manager.filter(**{field: code}).exists():
            return code
    return new_unique_code(model, field=field, length=length + 1)
