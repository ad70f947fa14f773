from django.db import migrations

from parentvoice.accounts.roles import sync_roles_migration


class Migration(migrations.Migration):
    dependencies = [("parentvoice", "0002_site_feedback"), ("accounts", "0003_site_name")]

    operations = [migrations.RunPython(sync_roles_migration, migrations.RunPython.noop)]
