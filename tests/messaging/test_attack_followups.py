"""Attack review of issue 14 (messaging): withdrawing must also stop requests still held for an
anonymous consultation's release."""

import pytest

from messaging import services
from messaging.choices import Channel, ConfirmedBy, ConsentSource, FollowRoute, Purpose
from messaging.models import FollowRequest, HeldFollowRequest
from tests.factories import ConsentingParentFactory

pytestmark = pytest.mark.django_db
TOPIC = "consultation:42"


def _held(contact, channel):
    result = services.request_follow(
        topic=TOPIC,
        title="Play parks",
        channel=channel,
        route=FollowRoute.WEB,
        wording="Tell me what you decide",
        contact=contact,
        confirmed_by=ConfirmedBy.EARLIER_CONSENT,
        anonymous=True,
    )
    assert result == services.FollowResult.HELD


def test_withdrawing_outcomes_before_the_release_stops_the_held_request():
    parent = ConsentingParentFactory(email="pat@example.org", consents=[(Channel.EMAIL, Purpose.OUTCOMES)])
    _held(parent, Channel.EMAIL)
    services.set_consents(
        parent,
        [(Channel.EMAIL, Purpose.OUTCOMES, False)],
        source=ConsentSource.PREFERENCES,
        wording="Changed on the preferences page",
    )
    services.release_held_follow_requests()
    assert not FollowRequest.objects.exists()


def test_stop_before_the_release_stops_the_held_request():
    parent = ConsentingParentFactory(consents=[(Channel.SMS, Purpose.OUTCOMES)])
    _held(parent, Channel.SMS)
    services.receive_sms(
        provider_ref="SM-stop", from_number=parent.mobile, to_number="+447000000000", body="STOP"
    )
    services.release_held_follow_requests()
    assert not FollowRequest.objects.exists()
    # START gives back what STOP withdrew, not a follow request made from the held one.
    services.receive_sms(
        provider_ref="SM-start", from_number=parent.mobile, to_number="+447000000000", body="START"
    )
    assert not FollowRequest.objects.exists() and not HeldFollowRequest.objects.exists()


def test_stop_telling_me_on_the_preferences_page_also_stops_a_held_request():
    parent = ConsentingParentFactory(email="pat@example.org", consents=[(Channel.EMAIL, Purpose.OUTCOMES)])
    _held(parent, Channel.EMAIL)
    services.stop_following(parent, TOPIC)
    services.release_held_follow_requests()
    assert not FollowRequest.objects.exists()


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("Żłobki w Dover", "Zlobki w Dover"),
        ("Ünïcödé school meals", "Ünicödé school meals"),
        ("Şcoala și grădinița", "Scoala si gradinita"),
        ("Play parks \u202eevil\u202c in Dover", "Play parks evil in Dover"),
    ],
)
def test_a_title_in_a_text_keeps_its_letters_without_accents_gsm_lacks(title, shown):
    assert services.follow_title_for_sms(title) == shown
