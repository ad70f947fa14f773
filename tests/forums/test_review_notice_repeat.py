"""Review of issue #13: a coordinator's notice is named by the minute, so a second "Send" (a double
click across a minute, or Back then Send) used to send the same notice to every member again."""

import pytest

from forums import services
from messaging.choices import Channel, Purpose
from messaging.models import Campaign
from messaging.services import CampaignError
from tests.factories import ConsentFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(dover, make_event):
    return make_event(dover, "Forum meeting", days=5)


def test_the_same_notice_again_a_minute_later_is_not_sent(dover, event):
    member = MembershipFactory(forum=dover, contact__email="amy@example.org", contact__mobile=None)
    ConsentFactory(contact=member.contact, channel=Channel.EMAIL, purpose=Purpose.FORUM_EVENTS, granted=True)
    first = services.event_notice_campaign(event, sms_text="Bring a friend.")
    # The next minute: the campaign name (sent at …) no longer matches.
    Campaign.objects.filter(pk=first.pk).update(name="Event notice: sent a minute ago")
    with pytest.raises(CampaignError, match="already sent"):
        services.event_notice_campaign(event, sms_text="Bring a friend.")
    assert Campaign.objects.count() == 1
    # A different notice is a new one.
    services.event_notice_campaign(event, sms_text="Bring two friends.")
    assert Campaign.objects.count() == 2
