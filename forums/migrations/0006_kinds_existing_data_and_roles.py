from django.db import migrations

from parentvoice.accounts.roles import sync_roles_migration


def kinds_and_districts(apps, schema_editor):
    """Fora without a district were the county-wide forum; a forum's events take its district."""
    ForumPage = apps.get_model("forums", "ForumPage")
    EventPage = apps.get_model("forums", "EventPage")
    ForumPage.objects.filter(district__isnull=True).update(kind="county")
    for forum in ForumPage.objects.filter(district__isnull=False).only("pk", "district_id"):
        EventPage.objects.filter(forum_id=forum.pk).update(district_id=forum.district_id)


class Migration(migrations.Migration):
    dependencies = [("forums", "0005_kinds_write_ups_parent_page"), ("accounts", "0003_site_name")]

    operations = [
        migrations.RunPython(kinds_and_districts, migrations.RunPython.noop),
        migrations.RunPython(sync_roles_migration, migrations.RunPython.noop),
    ]
