from datetime import timedelta

import pytest
from django.utils import timezone

from forums.choices import ForumKind
from forums.models import EventPage, ForumIndexPage, ForumPage
from parentvoice.accounts.roles import FORUM_COORDINATORS
from parentvoice.models import District


@pytest.fixture
def fora_index(home_page):
    index = ForumIndexPage(title="Parent fora", slug="parent-fora")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def make_forum(fora_index):
    def make(name, district=None, *, kind=None, **fields):
        district_obj = None
        if district:
            district_obj, _ = District.objects.get_or_create(
                name=district,
                defaults={"slug": district.lower(), "ons_code": f"E0700{District.objects.count():04d}"},
            )
        values = {
            "summary": "Parents shaping services.",
            "who_for": "Parents and carers",
            "how_it_works": "<p>We meet.</p>",
            "meeting_pattern": "Monthly",
        }
        forum = ForumPage(
            title=name,
            slug=name.lower().replace(" ", "-"),
            district=district_obj,
            kind=kind or (ForumKind.DISTRICT if district_obj else ForumKind.COUNTY),
            **{**values, **fields},
        )
        fora_index.add_child(instance=forum)
        forum.save_revision().publish()
        return forum

    return make


@pytest.fixture
def dover(make_forum):
    return make_forum("Dover Parents Forum", "Dover")


@pytest.fixture
def thanet(make_forum):
    return make_forum("Thanet Parents Forum", "Thanet")


@pytest.fixture
def dover_coordinator(make_user, dover):
    """A forum coordinator in Dover's own coordinators group (not signed in)."""
    user = make_user(email="dover.coordinator@example.org", groups=[FORUM_COORDINATORS])
    user.groups.add(dover.coordinators)
    return user


@pytest.fixture
def make_event():
    def make(forum, title, *, days, hours=2, **fields):
        """An event under `forum`, or under the fora index for an event outside any forum."""
        start = timezone.now().replace(microsecond=0) + timedelta(days=days)
        values = {"venue_name": "Children's centre", "address": "1 High Street\nDover"}
        event = EventPage(
            title=title,
            slug=f"{title.lower().replace(' ', '-')}-{EventPage.objects.count()}",
            start=start,
            end=start + timedelta(hours=hours),
            **{**values, **fields},
        )
        forum.add_child(instance=event)
        event.save_revision().publish()
        return EventPage.objects.get(pk=event.pk)

    return make
