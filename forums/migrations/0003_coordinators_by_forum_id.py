"""Each forum's coordinators group is found by the forum's id and holds the permission to see the
forum's people (forums/permissions.py).

Groups were named "<title> coordinators" and looked up by that name, so a forum titled "Forum" took
the "Forum coordinators" role as its own group (giving every coordinator its pages and people), and
two fora with one title shared a group. Here a forum whose group is a role gets a new, empty group of
its own (officers add its coordinators again) and the role loses that forum's page permissions; every
other forum's group is renamed by the forum's id, keeping its members. Each group is then given the
permission."""

from django.db import migrations

from forums.permissions import CODENAME, coordinators_group_name
from parentvoice.accounts.roles import ROLES

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]


def forward(apps, schema_editor):
    from parentvoice.accounts.roles import sync_roles_migration

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    if not Permission.objects.filter(content_type__app_label="forums", codename=CODENAME).exists():
        sync_roles_migration(apps, schema_editor)  # creates the permissions (and the roles) now
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    ForumPage = apps.get_model("forums", "ForumPage")
    see_people = Permission.objects.get(content_type__app_label="forums", codename=CODENAME)
    page_permissions = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
    )
    for forum in ForumPage.objects.select_related("coordinators").order_by("pk"):
        name = coordinators_group_name(forum.pk, forum.title)
        group = forum.coordinators
        if group is not None and group.name in ROLES:
            GroupPagePermission.objects.filter(group=group, page_id=forum.pk).delete()
            group = None
        if group is None:
            group, _ = Group.objects.get_or_create(name=name)
            forum.coordinators = group
            forum.save(update_fields=["coordinators"])
        elif group.name != name and not Group.objects.filter(name=name).exists():
            group.name = name
            group.save(update_fields=["name"])
        group.permissions.add(see_people)
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(group=group, page_id=forum.pk, permission=permission)


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0002_forum_people_permission"),
        ("accounts", "0002_staff_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
