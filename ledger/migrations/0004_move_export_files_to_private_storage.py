from django.db import migrations

from liaison.storage import move_to_private


def move_files(apps, schema_editor):
    """Export files written before 0003 lie under MEDIA_ROOT; move them to the private storage."""
    move_to_private(apps.get_model("ledger", "Export").objects.all(), "file")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_export_private_storage_and_sweep")]

    operations = [migrations.RunPython(move_files, migrations.RunPython.noop)]
