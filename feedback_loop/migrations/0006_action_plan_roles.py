from django.db import migrations

from parentvoice.accounts.roles import sync_roles_migration


class Migration(migrations.Migration):
    """The action plan's and reports' permissions for officers and decision makers, and the Action leads
    role (reach permissions need surveys' models too)."""

    dependencies = [
        ("feedback_loop", "0005_action_plan_and_reports"),
        ("surveys", "0009_reach_partners_benchmarks"),
        ("forums", "0004_booking_parent_role"),
        ("messaging", "0008_wider_parent_roles"),
    ]

    operations = [migrations.RunPython(sync_roles_migration, migrations.RunPython.noop)]
