"""Who may see results, read responses and key in paper: Django permissions, not group names, so a
council can build its own roles (a group named anything, given the permission, works)."""

import pytest
from django.contrib.auth.models import Group, Permission

pytestmark = pytest.mark.django_db


def _role(user, *codenames):
    group = Group.objects.create(name="Early help analysts")
    group.permissions.set(
        [
            *Permission.objects.filter(content_type__app_label="surveys", codename__in=codenames),
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        ]
    )
    user.groups.add(group)
    user.is_staff = True
    user.save()
    return user


def _status(client, name, page):
    from django.urls import reverse

    return client.get(reverse(name, args=[page.pk])).status_code


def test_a_role_of_any_name_with_view_results_sees_results_but_not_responses(
    client, staff_login, consultation
):
    user = staff_login()
    _role(user, "view_results")
    assert _status(client, "surveys_results", consultation) == 200
    assert _status(client, "surveys_export_csv", consultation) in (
        302,
        403,
    )  # Wagtail turns a refusal into a redirect
    assert _status(client, "surveys_paper_entry", consultation) in (
        302,
        403,
    )  # Wagtail turns a refusal into a redirect


def test_paper_entry_needs_add_response(client, staff_login, consultation):
    user = staff_login()
    _role(user, "view_results", "add_response")
    assert _status(client, "surveys_paper_entry", consultation) == 200
    assert _status(client, "surveys_export_csv", consultation) in (
        302,
        403,
    )  # Wagtail turns a refusal into a redirect


def test_the_roles_carry_the_permissions(client, staff_login, consultation):
    from parentvoice.accounts.roles import CONSULTATION_OFFICERS, DECISION_MAKERS

    officer = staff_login(CONSULTATION_OFFICERS)
    assert officer.has_perm("surveys.view_response") and officer.has_perm("surveys.add_response")
    decider = staff_login(DECISION_MAKERS)
    assert decider.has_perm("surveys.view_results") and not decider.has_perm("surveys.view_response")
