from django.db import migrations

from parentvoice.accounts.roles import sync_roles_migration


class Migration(migrations.Migration):
    dependencies = [("feedback_loop", "0001_initial"), ("messaging", "0002_officer_permissions")]

    operations = [migrations.RunPython(sync_roles_migration, migrations.RunPython.noop)]
