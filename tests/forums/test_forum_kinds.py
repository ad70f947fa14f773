"""Kinds of forum: how the index and forum pages show them, who may be a district forum, the join
form each kind gets, and parents' and practitioners' contact details kept apart."""

import pytest
from django.core.exceptions import ValidationError

from forums import services
from forums.choices import ForumKind
from forums.models import Membership
from messaging import services as messaging
from messaging.choices import ConfirmedBy, Purpose
from messaging.models import AddressConfirmation
from parentvoice.accounts.roles import FORUM_COORDINATORS

pytestmark = pytest.mark.django_db


def _member(forum, *, name, email, mobile="", **fields):
    purposes = [Purpose.FORUM_BUSINESS] if forum.for_practitioners else [Purpose.FORUM_EVENTS]
    sign_up = services.join_forum(forum, name=name, email=email, mobile=mobile, purposes=purposes, **fields)
    proven = []  # one browser confirming both addresses: one contact holds both
    for confirmation in sign_up.confirmations:
        confirmed = messaging.confirm_address(
            confirmation.pk, confirmed_by=ConfirmedBy.EMAIL_LINK, proven_with=proven
        )
        proven.append(confirmation.pk)
    return Membership.objects.get(forum=forum, contact=confirmed.contact, left_at__isnull=True)


@pytest.fixture
def fora(make_forum):
    return {
        "practitioners": make_forum("Kent Practitioners Forum", kind=ForumKind.PRACTITIONERS),
        "send": make_forum("SEND Parents Forum", kind=ForumKind.TOPIC),
        "fathers": make_forum("Dover Dads", "Dover", kind=ForumKind.TOPIC),
        "dover": make_forum("Dover Parents Forum", "Dover"),
        "county": make_forum("Kent Parents Forum", kind=ForumKind.COUNTY),
    }


def test_the_index_groups_fora_by_kind_with_a_heading_and_a_sentence_each(
    client, fora, fora_index, django_assert_max_num_queries
):
    # 19 before pages had languages; Wagtail's locale lookups and the language switcher's check cost three.
    with django_assert_max_num_queries(22):
        body = client.get(fora_index.url).content.decode()
    headings = ["County-wide fora", "District fora", "Topic fora", "Practitioners' fora"]
    positions = [body.index(h) for h in headings]
    assert positions == sorted(positions)
    county, district, topic, practitioners = positions
    assert county < body.index("Kent Parents Forum") < district < body.index("Dover Parents Forum") < topic
    assert topic < body.index("SEND Parents Forum") < practitioners and topic < body.index("Dover Dads")
    assert practitioners < body.index("Kent Practitioners Forum")
    assert "such as parents of children with special educational needs" in body
    assert "For people who work with children and families" in body
    assert body.count('<h2 class="govuk-heading-l">') == 4


def test_a_forum_page_says_what_kind_of_forum_it_is(client, fora):
    send = client.get(fora["send"].url).content.decode()
    assert "Topic forum · County-wide" in send and "Kind of forum" in send
    assert "Topic forum · Dover" in client.get(fora["fathers"].url).content.decode()
    practitioners = client.get(fora["practitioners"].url).content.decode()
    assert "Practitioners&#x27; forum" in practitioners and "work email address" in practitioners


def test_a_district_forum_needs_its_district_and_a_topic_forum_may_have_one_or_not(fora):
    forum = fora["dover"]
    forum.district = None
    with pytest.raises(ValidationError) as raised:
        forum.clean()
    assert "Choose the forum's district" in raised.value.message_dict["district"][0]
    for key in ("send", "fathers", "county", "practitioners"):
        fora[key].clean()  # no error, with or without a district


@pytest.mark.parametrize("key", ["dover", "county", "send", "fathers"])
def test_parents_fora_take_the_parents_form_and_refuse_forum_business(client, fora, key):
    forum = fora[key]
    page = client.get(f"/fora/{forum.pk}/join/").content.decode()
    assert 'name="mobile"' in page and 'name="purposes"' in page and 'name="organisation"' not in page
    data = {"name": "Sam", "email": "sam@example.org", "purposes": [Purpose.FORUM_BUSINESS]}
    response = client.post(f"/fora/{forum.pk}/join/", data)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not AddressConfirmation.objects.exists()
    # By text alone, as before.
    response = client.post(
        f"/fora/{forum.pk}/join/",
        {"name": "Sam", "mobile": "07700 900982", "purposes": [Purpose.FORUM_EVENTS]},
    )
    assert response.status_code == 302


def test_parents_and_practitioners_never_see_each_others_contact_details(
    client, staff_login, fora, make_event
):
    practitioners, dover = fora["practitioners"], fora["dover"]
    parent = _member(dover, name="Amira", email="amira@example.org", mobile="+447700900321")
    _member(practitioners, name="Priya", email="priya@nhs.example", organisation="Dover Health Visiting")
    # The same person as a parent and a practitioner: the practitioners' list never shows their mobile.
    both = _member(dover, name="Tom", email="tom@example.org", mobile="+447700900654")
    _member(practitioners, name="Tom", email="tom@example.org", organisation="Tom's Childminding")
    assert (
        both.contact.mobile and Membership.objects.filter(contact=both.contact, forum=practitioners).exists()
    )
    event = make_event(practitioners, "Practitioners meeting", days=5)

    user = staff_login(FORUM_COORDINATORS, email="practitioners.coordinator@example.org", is_superuser=True)
    body = client.get(f"/admin/fora/{practitioners.pk}/members/").content.decode()
    assert "Dover Health Visiting" in body and "priya@nhs.example" in body and "Priya" in body
    assert "Amira" not in body and "amira@example.org" not in body
    assert "654" not in body and '<th scope="col">Mobile</th>' not in body
    assert "Organisation" in body

    # A parents' forum's coordinator cannot open the practitioners' forum's members, nor the reverse.
    client.logout()
    dover_coordinator = staff_login(FORUM_COORDINATORS, email="dover.coordinator@example.org")
    dover_coordinator.groups.add(dover.coordinators)
    assert client.get(f"/admin/fora/{dover.pk}/members/").status_code == 200
    refused = client.get(f"/admin/fora/{practitioners.pk}/members/")
    assert refused.status_code in (302, 403) and "Dover Health Visiting" not in refused.content.decode()
    client.logout()
    practitioners_coordinator = staff_login(FORUM_COORDINATORS, email="pc@example.org")
    practitioners_coordinator.groups.add(practitioners.coordinators)
    assert client.get(f"/admin/fora/{dover.pk}/members/").status_code in (302, 403)
    client.logout()

    # Nothing about members on any public page.
    secrets = [
        "Amira",
        "amira@example.org",
        "Priya",
        "priya@nhs.example",
        "Dover Health Visiting",
        "tom@example.org",
        "Childminding",
    ]
    for url in (practitioners.url, dover.url, event.url, practitioners.get_parent().url):
        body = client.get(url).content.decode()
        assert not [s for s in secrets if s in body], url
    # A membership page shows that member's own forum only.
    page = client.get(f"/fora/membership/{services.membership_token(parent.pk)}/").content.decode()
    assert "Dover Parents Forum" in page and "Kent Practitioners Forum" not in page
    assert not [s for s in secrets if s in page]
    assert user and both
