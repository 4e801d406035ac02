from django.db import migrations

from liaison.storage import move_to_private


def move_files(apps, schema_editor):
    """Photos of receptions saved before 0002 lie under MEDIA_ROOT, which may be served."""
    move_to_private(apps.get_model("receptions", "DutyLogPhoto").objects.all(), "image")


class Migration(migrations.Migration):
    dependencies = [("receptions", "0002_duty_log_photos_private")]

    operations = [migrations.RunPython(move_files, migrations.RunPython.noop)]
