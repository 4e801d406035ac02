"""Private storage: files outside MEDIA_ROOT, and the move of files written before it."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from ledger.models import Export
from liaison.storage import move_to_private, private_storage
from tests.factories import make_user


def test_private_files_have_no_url(settings):
    assert Path(private_storage().path("x.csv")).parent == Path(settings.PRIVATE_ROOT)
    with pytest.raises(ValueError):
        private_storage().url("x.csv")


def test_files_written_before_are_moved_out_of_media(db, settings):
    user = make_user("mover")
    old = default_storage.save("exports/2026/11/old.csv", ContentFile(b"a,b\n"))
    taken = default_storage.save("exports/2026/11/taken.csv", ContentFile(b"new\n"))
    private_storage().save("exports/2026/11/taken.csv", ContentFile(b"already there\n"))
    first = Export.objects.create(user=user, format="csv", file=old)
    second = Export.objects.create(user=user, format="csv", file=taken)
    gone = Export.objects.create(user=user, format="csv", file="exports/2026/11/gone.csv")
    Export.objects.create(user=user, format="csv")  # no file at all

    assert move_to_private(Export.objects.all(), "file") == 2
    for export in (first, second, gone):
        export.refresh_from_db()
    assert not default_storage.exists(old) and not default_storage.exists(taken)
    assert private_storage().open(first.file.name).read() == b"a,b\n"
    # The private storage chose another name for the second file; the row follows it.
    assert second.file.name != taken and private_storage().open(second.file.name).read() == b"new\n"
    assert gone.file.name == "exports/2026/11/gone.csv"
    assert move_to_private(Export.objects.all(), "file") == 0
