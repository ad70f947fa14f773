from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from wagtail.models import GroupPagePermission, Locale, Page, Revision, Site

from parentvoice.accounts.roles import CONSULTATION_OFFICERS, ROLES, sync_roles
from parentvoice.demo import DEMO_USERS, DISTRICTS, PAGES
from parentvoice.models import District, HomePage

pytestmark = pytest.mark.django_db


def test_migrations_create_every_role_with_admin_access():
    for name in ROLES:
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists(), name


def test_consultation_officers_can_edit_districts_and_publish_pages():
    officers = Group.objects.get(name=CONSULTATION_OFFICERS)
    codenames = set(officers.permissions.values_list("codename", flat=True))
    assert {"add_district", "change_district", "change_sitesettings"} <= codenames
    published = GroupPagePermission.objects.filter(group=officers, permission__codename="publish_page")
    assert published.filter(page__depth=1).exists()


def test_decision_makers_cannot_change_districts():
    codenames = set(Group.objects.get(name="Decision makers").permissions.values_list("codename", flat=True))
    assert "change_district" not in codenames


def test_sync_roles_is_idempotent_and_restores_removed_permissions():
    group = Group.objects.get(name=CONSULTATION_OFFICERS)
    before = set(group.permissions.all())
    group.permissions.clear()
    sync_roles()
    sync_roles()
    assert set(group.permissions.all()) == before
    assert GroupPagePermission.objects.filter(group=group).count() == 3


def test_demo_content_is_complete():
    call_command("load_demo_content", stdout=StringIO())
    assert District.objects.count() == len(DISTRICTS) == 13
    assert District.objects.get(name="Medway").ons_code == "E06000035"
    home = HomePage.objects.get(locale=Locale.get_default())  # the others translate it (test_demo_languages)
    assert Site.objects.get(is_default_site=True).root_page.specific == home
    assert set(home.get_children().values_list("slug", flat=True)) >= {spec["slug"] for spec in PAGES}
    User = get_user_model()
    assert User.objects.count() == len(DEMO_USERS)
    for email, _first, _last, group, superuser in DEMO_USERS:
        user = User.objects.get(email=email)
        assert user.is_superuser == superuser
        assert user.emailaddress_set.get().verified
        if group:
            assert user.groups.filter(name=group).exists()
    # Every demo response went through the services: the results' tallies equal a recount.
    out = StringIO()
    call_command("rebuild_tallies", "--check", stdout=out)
    assert "found differences in 0" in out.getvalue()


def test_demo_content_can_be_loaded_again_without_changing_anything():
    call_command("load_demo_content", stdout=StringIO())

    def counts():
        return [model.objects.count() for model in (Page, Revision, District, Group, GroupPagePermission)]

    before = counts()
    call_command("load_demo_content", stdout=StringIO())
    assert counts() == before


@pytest.mark.parametrize("code", ["E0700010", "X07000105", "e07000105", "E07000105A"])
def test_district_rejects_a_malformed_ons_code(code):
    district = District(name="Nowhere", slug="nowhere", ons_code=code)
    with pytest.raises(ValidationError) as error:
        district.full_clean()
    assert "ons_code" in error.value.message_dict


def test_only_consultation_officers_may_see_contacts():
    for name in ROLES:
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert ("view_contact" in codenames) == (name == CONSULTATION_OFFICERS), name
