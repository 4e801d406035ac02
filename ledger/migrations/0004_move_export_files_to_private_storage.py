from django.core.files.storage import storages
from django.db import migrations


def move_files(apps, schema_editor):
    """Export files written before 0003 lie under MEDIA_ROOT; move them to the private storage."""
    Export = apps.get_model("ledger", "Export")
    public, private = storages["default"], storages["exports"]
    for export in Export.objects.exclude(file="").only("pk", "file"):
        name = export.file.name
        if not public.exists(name):
            continue
        with public.open(name, "rb") as source:
            saved = private.save(name, source)
        if saved != name:
            Export.objects.filter(pk=export.pk).update(file=saved)
        public.delete(name)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_export_private_storage_and_sweep")]

    operations = [migrations.RunPython(move_files, migrations.RunPython.noop)]
