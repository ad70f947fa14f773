"""A starting term list (leads change it in the admin) and the safeguarding and data protection
permissions for the staff roles."""

from django.db import migrations

from parentvoice.accounts.roles import sync_roles_migration
from parentvoice.safeguarding.starting_terms import seed_starting_terms

def seed_terms(apps, schema_editor):
    seed_starting_terms(apps.get_model("safeguarding", "ConcernTerm"))


class Migration(migrations.Migration):
    dependencies = [
        ("safeguarding", "0001_initial"),
        ("privacy", "0001_initial"),
        ("accounts", "0003_site_name"),
    ]

    operations = [
        migrations.RunPython(seed_terms, migrations.RunPython.noop),
        migrations.RunPython(sync_roles_migration, migrations.RunPython.noop),
    ]
