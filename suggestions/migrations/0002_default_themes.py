"""The themes real stations sort suggestions by; staff edit the list in the admin."""

from django.db import migrations

THEMES = [
    "产业发展",
    "道路交通",
    "环境卫生",
    "集体经济",
    "乡风文明",
    "养老服务",
    "住房安置",
    "物业管理",
    "其他",
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("suggestions", "Theme")
    for position, name in enumerate(THEMES, start=1):
        Theme.objects.get_or_create(name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0001_initial")]

    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
