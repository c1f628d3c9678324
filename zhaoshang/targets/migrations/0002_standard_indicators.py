from django.db import migrations

from zhaoshang.targets.standard import create_standard


class Migration(migrations.Migration):
    dependencies = [("targets", "0001_initial")]

    operations = [migrations.RunPython(create_standard, migrations.RunPython.noop)]
