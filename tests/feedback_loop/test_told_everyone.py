"""A decision tells everyone behind it: linked respondents, whoever asked to be told about its
consultation or meeting (web, text, paper, booking) and forum members, once each, on a channel they
agreed to, within consent and suppression."""

import pytest

from feedback_loop import services
from feedback_loop.models import OutcomeNotice
from forums.models import Membership
from messaging import services as messaging
from messaging.audiences import follow_topics
from messaging.choices import (
    Channel,
    ConfirmedBy,
    FollowRoute,
    MessageStatus,
    Purpose,
    SuppressionReason,
)
from messaging.models import Message
from surveys.choices import ResponseChannel

from .conftest import evidence

pytestmark = pytest.mark.django_db


def follow(contact, topic, channel=Channel.SMS, route=FollowRoute.WEB):
    return messaging.record_follow(
        contact,
        topic=topic,
        channel=channel,
        route=route,
        wording="Tell me what you decide",
        confirmed_by=ConfirmedBy.SMS_REPLY,
    )


def fan_out(decision):
    notice = OutcomeNotice.objects.get(decision=decision, update__isnull=True, status=decision.status)
    messaging.prepare_campaign(notice.campaign_id)
    return list(Message.objects.filter(campaign_id=notice.campaign_id))


@pytest.fixture
def around(log_page, closed_consultation, make_forum, make_event, make_item):
    page = closed_consultation
    forum = make_forum("Dover forum", district="Dover")
    event = make_event(
        forum, "Meeting", days=-5, parents_said=[("said", {"text": "Evening meetings please"})]
    )
    item = make_item(consultation=page, evidence=evidence(page, "first-place", "school"))
    from_meeting = make_item(event=event, point_id=event.parents_said[0].id)
    return {"page": page, "forum": forum, "event": event, "items": [item, from_meeting]}


def test_every_route_is_told_once(around, make_contact, answer, make_decision):
    page, event = around["page"], around["event"]
    # Answered by web with a linked response, asked by text, and a forum member: one message.
    everywhere = make_contact("Ada", mobile="+447700900301")
    answer(page, contact=everywhere)
    follow(everywhere, f"consultation:{page.pk}", route=FollowRoute.SMS)
    Membership.objects.create(forum=around["forum"], contact=everywhere)
    # Answered anonymously by the open link and asked to be told by email (no general consent).
    web_follower = make_contact("Bea", email="bea@example.org", outcomes=False, preferred=Channel.EMAIL)
    answer(page)
    follow(web_follower, f"consultation:{page.pk}", channel=Channel.EMAIL, route=FollowRoute.WEB)
    # A paper response an officer keyed, asking for a text.
    paper = make_contact("Cat", mobile="+447700900303", outcomes=False)
    answer(page, channel=ResponseChannel.PAPER)
    follow(paper, f"consultation:{page.pk}", route=FollowRoute.PAPER)
    # Booked the meeting and asked to be told when booking.
    booker = make_contact("Dan", mobile="+447700900304", outcomes=False)
    follow(booker, f"event:{event.pk}", route=FollowRoute.BOOKING)
    # Asked about some other consultation only.
    follow(make_contact("Eve", mobile="+447700900305", outcomes=False), "consultation:999999")

    decision = make_decision(around["items"])
    assert follow_topics(f"decision:{decision.pk}") == [f"consultation:{page.pk}", f"event:{event.pk}"]
    messages = fan_out(decision)
    recipients = sorted(m.recipient for m in messages)
    assert recipients == sorted(["+447700900301", "bea@example.org", "+447700900303", "+447700900304"])
    assert {m.channel for m in messages if m.recipient == "bea@example.org"} == {Channel.EMAIL}


def test_follower_without_general_consent_is_told_only_on_the_channel_they_asked(
    around, make_contact, answer, make_decision
):
    page = around["page"]
    both = make_contact("Ada", mobile="+447700900311", email="ada@example.org", outcomes=False)
    answer(page, contact=both)
    follow(both, f"consultation:{page.pk}", channel=Channel.EMAIL)
    messages = fan_out(make_decision(around["items"]))
    assert [(m.recipient, m.channel) for m in messages] == [("ada@example.org", Channel.EMAIL)]


def test_withdrawn_consent_means_not_told(around, make_contact, answer, make_decision):
    page = around["page"]
    # Both agreed to outcomes by text; one also asked about this consultation. Both then untick
    # outcomes on their preferences page, which forgets the follow request too.
    follower = make_contact("Ada", mobile="+447700900321")
    follow(follower, f"consultation:{page.pk}")
    respondent = make_contact("Bea", mobile="+447700900322")
    answer(page, contact=respondent)
    for contact in (follower, respondent):
        messaging.update_preferences(contact, {(Channel.SMS, Purpose.CONSULTATIONS)}, wording="Not outcomes")
    assert fan_out(make_decision(around["items"])) == []


def test_suppressed_follower_gets_a_row_never_sent(around, make_contact, make_decision):
    page = around["page"]
    follower = make_contact("Ada", mobile="+447700900331", outcomes=False)
    follow(follower, f"consultation:{page.pk}")
    messaging.suppress(Channel.SMS, "+447700900331", SuppressionReason.MANUAL)
    messages = fan_out(make_decision(around["items"]))
    assert [(m.recipient, m.status) for m in messages] == [("+447700900331", MessageStatus.SUPPRESSED)]


def test_preview_counts_followers_exactly(around, make_contact, answer, make_decision):
    page = around["page"]
    ada = make_contact("Ada", mobile="+447700900341")
    answer(page, contact=ada)
    follow(ada, f"consultation:{page.pk}")
    follow(
        make_contact("Bea", email="bea@example.org", outcomes=False), f"consultation:{page.pk}", Channel.EMAIL
    )
    decision = make_decision(around["items"], publish=False)
    decision.save_revision()
    preview = services.outcome_preview(decision.latest_revision)
    assert (preview.by_channel[Channel.SMS], preview.by_channel[Channel.EMAIL], preview.total) == (1, 1, 2)


def test_a_draft_decision_tells_no_follower(around, make_contact, make_decision):
    follow(make_contact("Ada", mobile="+447700900351", outcomes=False), f"consultation:{around['page'].pk}")
    make_decision(around["items"], publish=False)
    assert not OutcomeNotice.objects.exists() and not Message.objects.exists()
