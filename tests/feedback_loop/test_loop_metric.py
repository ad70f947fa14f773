"""The dashboard's "who took part and was told": over every response (linked or not), per consultation
and channel; asked and told, asked and not yet told, did not ask; a fixed number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback_loop import services
from feedback_loop.models import OutcomeNotice
from messaging import services as messaging
from messaging.choices import CampaignKind, Channel, ConfirmedBy, FollowRoute, MessageStatus, Purpose
from messaging.models import Campaign, Message
from parentvoice.accounts.roles import DECISION_MAKERS
from surveys.choices import ResponseChannel
from surveys.models import ResultsNotice
from tests.factories import BookingFactory, MessageFactory

from .conftest import evidence

pytestmark = pytest.mark.django_db


def follow(contact, topic, channel=Channel.SMS, route=FollowRoute.WEB):
    messaging.record_follow(
        contact,
        topic=topic,
        channel=channel,
        route=route,
        wording="Tell me",
        confirmed_by=ConfirmedBy.SMS_REPLY,
    )


def rows(source):
    return {row.channel: (row.responses, row.told, row.not_yet_told, row.did_not_ask) for row in source.rows}


@pytest.fixture
def loop(
    log_page, closed_consultation, make_contact, answer, make_item, make_decision, make_forum, make_event
):
    page = closed_consultation
    topic = f"consultation:{page.pk}"
    # Web: Ada is linked and agreed to outcomes (and also asked by text: still one person); Bea
    # answered anonymously and asked by email.
    ada = make_contact("Ada", mobile="+447700900501")
    answer(page, contact=ada)
    follow(ada, topic, route=FollowRoute.SMS)
    bea = make_contact("Bea", email="bea@example.org", outcomes=False, preferred=Channel.EMAIL)
    answer(page)
    follow(bea, topic, channel=Channel.EMAIL)
    # Text: Cat is linked but never agreed to outcomes nor asked; Dan answered anonymously and asked.
    answer(
        page, contact=make_contact("Cat", mobile="+447700900503", outcomes=False), channel=ResponseChannel.SMS
    )
    dan = make_contact("Dan", mobile="+447700900504", outcomes=False)
    answer(page, channel=ResponseChannel.SMS)
    follow(dan, topic, route=FollowRoute.SMS)
    # Paper: nobody asked.
    answer(page, channel=ResponseChannel.PAPER)

    forum = make_forum("Dover forum", district="Dover")
    event = make_event(
        forum, "Meeting", days=-5, parents_said=[("said", {"text": "Evening meetings please"})]
    )
    for _ in range(3):
        BookingFactory(event=event)
    follow(
        make_contact("Eve", mobile="+447700900505", outcomes=False),
        f"event:{event.pk}",
        route=FollowRoute.BOOKING,
    )

    item = make_item(consultation=page, evidence=evidence(page, "first-place", "school"))
    decision = make_decision([item, make_item(event=event, point_id=event.parents_said[0].id)])
    notice = OutcomeNotice.objects.get(decision=decision)
    messaging.prepare_campaign(notice.campaign_id)
    Message.objects.filter(campaign_id=notice.campaign_id, contact=ada).update(status=MessageStatus.SENT)
    # Bea's is still waiting to send; Dan heard through the results notice.
    # (Publishing the results started their notice, or the test makes one.)
    results_notice, _ = ResultsNotice.objects.get_or_create(consultation=page)
    if results_notice.campaign is None:
        results_notice.campaign = Campaign.objects.create(
            name="Results are out", kind=CampaignKind.OUTCOME_NOTICE, purpose=Purpose.OUTCOMES
        )
        results_notice.save()
    results = results_notice.campaign
    MessageFactory(contact=dan, campaign=results, status=MessageStatus.DELIVERED)
    # A message from something else tells nobody about this consultation.
    other = Campaign.objects.create(name="Invitation", kind=CampaignKind.CONSULTATION_INVITATION)
    MessageFactory(contact=bea, campaign=other, channel=Channel.EMAIL, status=MessageStatus.DELIVERED)
    return {"page": page, "event": event}


def test_every_response_is_counted_per_channel(loop):
    consultation, meeting = services.share_told()
    assert (consultation.kind, consultation.pk, meeting.kind, meeting.pk) == (
        "consultation",
        loop["page"].pk,
        "meeting",
        loop["event"].pk,
    )
    # (responses, asked and told, asked not yet told, did not ask)
    assert rows(consultation) == {"web": (2, 1, 1, 0), "sms": (2, 1, 0, 1), "paper": (1, 0, 0, 1)}
    total = consultation.total
    assert (total.responses, total.asked, total.told, total.did_not_ask) == (5, 3, 2, 2)
    assert rows(meeting) == {"booking": (3, 0, 1, 2)}


def test_a_consultation_without_decision_or_results_is_not_listed(make_consultation):
    now = timezone.now()
    make_consultation(opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=10))
    assert services.share_told() == []


def test_query_count_does_not_grow_with_consultations(
    loop, make_consultation, answer, make_contact, django_assert_max_num_queries
):
    with django_assert_max_num_queries(11) as few:  # 11: one reads figures frozen by retention
        services.share_told()
    now = timezone.now()
    for n in range(4):
        page = make_consultation(
            slug=f"more-{n}",
            opens_at=now - timedelta(days=40),
            closes_at=now - timedelta(days=10),
            results_published=True,
        )
        answer(page, contact=make_contact(f"More {n}", mobile=f"+4477009006{n:02d}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(services.share_told()) == 6


def test_the_dashboard_shows_the_counts_without_names(client, staff_login, loop):
    staff_login(DECISION_MAKERS)
    html = client.get(reverse("feedback_dashboard")).content.decode()
    assert "Who took part and was told" in html
    assert '<th scope="row">Web</th><td>2</td><td>1</td><td>1</td><td>0</td>' in html
    assert "Booked the meeting" in html
    for name in ("Ada", "Bea", "Dan", "bea@example.org", "+447700900501"):
        assert name not in html
