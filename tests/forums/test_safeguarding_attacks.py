"""Attacks on safeguarding through the forums' records (issue #15 review)."""

import pytest

from forums import services
from parentvoice.accounts.roles import FORUM_COORDINATORS
from parentvoice.safeguarding.models import Case

FLAG = "/admin/safeguarding/flag/"


@pytest.fixture
def dover(make_forum, make_event):
    forum = make_forum("Dover Parents Forum", "Dover")
    event = make_event(forum, "Have your say", days=5, booking_required=True, capacity=10)
    return forum, event


@pytest.mark.django_db
def test_the_flag_endpoint_does_not_tell_another_forums_coordinator_which_records_exist(
    client, dover, make_forum, staff_login
):
    forum, event = dover
    booking = services.book(event.pk, name="Sam", email="sam@example.org", access_needs="Step-free")
    enquiry = services.send_enquiry(forum, name="Sam", reply_to="sam@example.org", message="Hello")
    thanet = make_forum("Thanet Parents Forum", "Thanet")
    theirs = staff_login(FORUM_COORDINATORS, email="thanet@example.org")
    theirs.groups.add(thanet.coordinators)
    for kind, source_id in (("forums.booking", booking.pk), ("forums.enquiry", enquiry.pk)):
        real = client.post(FLAG, {"kind": kind, "source_id": source_id})
        missing = client.post(FLAG, {"kind": kind, "source_id": source_id + 10_000})
        assert real.status_code == missing.status_code == 404
    assert not Case.objects.exists()
