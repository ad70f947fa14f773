from django.db import migrations

from parentvoice.accounts.roles import sync_roles_migration


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial"), ("accounts", "0003_site_name")]

    operations = [migrations.RunPython(sync_roles_migration, migrations.RunPython.noop)]
