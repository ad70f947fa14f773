"""Seeing a forum's people (members, bookings) is one permission, held by that forum's own
coordinators group, found by the forum's id: not by a group's name, not by being able to edit pages."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from forums import services
from forums.permissions import SEE_PEOPLE, coordinators_group_name
from parentvoice.accounts.roles import CONSULTATION_OFFICERS, FORUM_COORDINATORS

pytestmark = pytest.mark.django_db


def _urls(forum, event):
    return [
        f"/admin/fora/{forum.pk}/members/",
        f"/admin/fora/events/{event.pk}/bookings/",
        f"/admin/fora/events/{event.pk}/notice/",
    ]


@pytest.fixture
def dover(make_forum, make_event):
    forum = make_forum("Dover Parents Forum", "Dover")
    event = make_event(forum, "Meeting", days=5, booking_required=True, capacity=10)
    services.book(event.pk, name="Sam", email="sam@example.org")
    return forum, event


def test_a_forum_titled_forum_does_not_take_the_coordinators_role(
    client, staff_login, make_forum, make_event
):
    forum = make_forum("Forum")
    event = make_event(forum, "Meeting", days=5, booking_required=True, capacity=10)
    role = Group.objects.get(name=FORUM_COORDINATORS)
    assert forum.coordinators != role
    assert forum.coordinators.name == f"Forum coordinators (forum {forum.pk})"
    assert not GroupPagePermission.objects.filter(group=role, page=forum).exists()
    # Coordinating some other forum gives the role, and nothing of this forum's people.
    user = staff_login(FORUM_COORDINATORS, email="someone.else@example.org")
    assert not user.has_perm(SEE_PEOPLE, forum) and not event.permissions_for_user(user).can_edit()
    for url in _urls(forum, event):
        assert client.get(url).status_code == 302, url  # refused


def test_two_fora_with_one_title_get_a_group_each(make_forum):
    first = make_forum("Parents Forum")
    type(first).objects.filter(pk=first.pk).update(slug="first")  # so the title can be used again
    second = make_forum("Parents Forum")
    assert first.coordinators != second.coordinators
    assert coordinators_group_name(7, "x" * 200).endswith(" coordinators (forum 7)")
    assert len(coordinators_group_name(7, "x" * 200)) == 150


@pytest.mark.parametrize("group", ["Editors", "Moderators", CONSULTATION_OFFICERS])
def test_editing_pages_no_longer_shows_people(client, staff_login, dover, group):
    forum, event = dover
    user = staff_login(group)
    assert event.permissions_for_user(user).can_edit()  # they may still edit the pages
    assert not user.has_perm(SEE_PEOPLE, forum) and not user.has_perm(SEE_PEOPLE, event)
    for url in _urls(forum, event):
        assert client.get(url).status_code == 302, url
    header = client.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    assert f"/admin/fora/events/{event.pk}/bookings/" not in header


def test_coordinators_see_their_forum_and_not_another(client, staff_login, dover, make_forum, make_event):
    forum, event = dover
    thanet = make_forum("Thanet Parents Forum", "Thanet")
    thanet_event = make_event(thanet, "Thanet meeting", days=5, booking_required=True, capacity=10)
    user = staff_login(FORUM_COORDINATORS, email="dover.coordinator@example.org")
    user.groups.add(forum.coordinators)
    assert user.has_perm(SEE_PEOPLE, forum) and user.has_perm(SEE_PEOPLE, event)
    assert not user.has_perm(SEE_PEOPLE, thanet) and not user.has_perm(SEE_PEOPLE, thanet_event)
    for url in _urls(forum, event):
        assert client.get(url).status_code == 200, url
    for url in _urls(thanet, thanet_event):
        assert client.get(url).status_code == 302, url


def test_the_group_needs_the_permission_as_well_as_being_the_forums(staff_login, dover):
    forum, event = dover
    user = staff_login(FORUM_COORDINATORS, email="dover.coordinator@example.org")
    user.groups.add(forum.coordinators)
    forum.coordinators.permissions.remove(Permission.objects.get(codename="view_forum_people"))
    user = type(user).objects.get(pk=user.pk)  # permissions are cached on the user
    assert not user.has_perm(SEE_PEOPLE, forum)


def test_the_migration_gives_each_forum_its_own_group_by_id(staff_login, make_forum):
    """Data as it was: a forum titled "Forum" whose group is the role, and a group named by title."""
    role = Group.objects.get_or_create(name=FORUM_COORDINATORS)[0]
    clash = make_forum("Forum")
    old_group = clash.coordinators
    type(clash).objects.filter(pk=clash.pk).update(coordinators=role)
    GroupPagePermission.objects.filter(group=old_group).update(group=role)
    old_group.delete()
    thanet = make_forum("Thanet Parents Forum")
    thanet.coordinators.name = "Thanet Parents Forum coordinators"
    thanet.coordinators.save()
    thanet.coordinators.permissions.clear()
    coordinator = staff_login(FORUM_COORDINATORS, email="thanet.coordinator@example.org")
    coordinator.groups.add(thanet.coordinators)

    migration = importlib.import_module("forums.migrations.0003_coordinators_by_forum_id")
    migration.forward(django_apps, None)

    clash.refresh_from_db()
    thanet.refresh_from_db()
    assert clash.coordinators != role and not clash.coordinators.user_set.exists()
    assert not GroupPagePermission.objects.filter(group=role, page=clash).exists()
    assert GroupPagePermission.objects.filter(group=clash.coordinators, page=clash).count() == 3
    assert thanet.coordinators.name == f"Thanet Parents Forum coordinators (forum {thanet.pk})"
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    assert coordinator.has_perm(SEE_PEOPLE, thanet) and not coordinator.has_perm(SEE_PEOPLE, clash)
