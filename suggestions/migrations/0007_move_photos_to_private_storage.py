from django.db import migrations

from liaison.storage import move_to_private


def move_files(apps, schema_editor):
    """Photos saved before 0006 lie under MEDIA_ROOT, which may be served; move them."""
    move_to_private(apps.get_model("suggestions", "SuggestionPhoto").objects.all(), "image")


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0006_suggestion_photos_private")]

    operations = [migrations.RunPython(move_files, migrations.RunPython.noop)]
