from django.db import migrations

from parentvoice.accounts.roles import sync_roles_migration


class Migration(migrations.Migration):
    """'Tell us': Consultation officers read, record and triage open feedback."""

    dependencies = [("feedback_loop", "0007_open_feedback"), ("accounts", "0003_site_name")]

    operations = [migrations.RunPython(sync_roles_migration, migrations.RunPython.noop)]
