"""Publishing a decision tells exactly the people behind it who agreed to hear about outcomes."""

import re

import pytest
from django.urls import reverse

from feedback_loop import services
from feedback_loop.choices import DecisionStatus
from feedback_loop.models import Decision, OutcomeNotice
from forums.models import Membership
from messaging import services as messaging
from messaging.choices import CampaignKind, Channel, MessageStatus, Purpose, SuppressionReason
from messaging.models import Message
from messaging.sms import segment_info
from parentvoice.accounts.roles import CONSULTATION_OFFICERS

from .conftest import evidence

pytestmark = pytest.mark.django_db


def _fan_out(notice):
    """What the campaign's task does once the publish commits."""
    messaging.prepare_campaign(notice.campaign_id)
    return {m.recipient: m for m in Message.objects.filter(campaign_id=notice.campaign_id)}


@pytest.fixture
def people(log_page, closed_consultation, make_consultation, make_forum, make_event, make_contact, answer):
    """Respondents, members and bystanders around one consultation and one forum meeting."""
    page = closed_consultation
    other = make_consultation(slug="other", title="Another consultation")
    forum = make_forum("Dover forum", district="Dover")
    event = make_event(
        forum, "Meeting", days=-5, parents_said=[("said", {"text": "Evening meetings please"})]
    )
    contacts = {
        "respondent": make_contact("Ada", mobile="+447700900101"),
        "emailer": make_contact("Bea", email="bea@example.org", preferred=Channel.EMAIL),
        "both_channels": make_contact("Cat", mobile="+447700900103", email="cat@example.org"),
        "no_outcomes_consent": make_contact("Dan", mobile="+447700900104", outcomes=False),
        "suppressed": make_contact("Eve", mobile="+447700900105"),
        "other_consultation": make_contact("Fay", mobile="+447700900106"),
        "member": make_contact("Gus", mobile="+447700900107"),
        "former_member": make_contact("Hal", mobile="+447700900108"),
        "bystander": make_contact("Ivy", mobile="+447700900109"),
    }
    for key in ("respondent", "emailer", "both_channels", "no_outcomes_consent", "suppressed"):
        answer(page, contact=contacts[key])
    answer(page)  # anonymous: nobody to tell
    answer(other, contact=contacts["other_consultation"])
    Membership.objects.create(forum=forum, contact=contacts["member"])
    Membership.objects.create(forum=forum, contact=contacts["former_member"], left_at=page.closes_at)
    messaging.suppress(Channel.SMS, "+447700900105", SuppressionReason.STOP)
    return {"page": page, "event": event, "contacts": contacts}


def test_publishing_tells_respondents_and_members_who_agreed(people, make_item, make_decision):
    page, event = people["page"], people["event"]
    item = make_item(consultation=page, evidence=evidence(page, "first-place", "school"))
    from_meeting = make_item(event=event, point_id=event.parents_said[0].id)
    decision = make_decision([item, from_meeting])
    notice = OutcomeNotice.objects.get(decision=decision)
    campaign = notice.campaign
    assert (campaign.kind, campaign.purpose, notice.status) == (
        CampaignKind.OUTCOME_NOTICE,
        Purpose.OUTCOMES,
        DecisionStatus.AGREED,
    )
    messages = _fan_out(notice)
    assert set(messages) == {
        "+447700900101",  # respondent, by text
        "bea@example.org",  # respondent, by email
        "+447700900103",  # one message each, on the channel they prefer
        "+447700900105",  # suppressed: a row so officers see why, never sent
        "+447700900107",  # current forum member
    }
    assert messages["+447700900105"].status == MessageStatus.SUPPRESSED
    text = messages["+447700900101"].body
    # What was decided, readable without data; the link is extra.
    assert "You said: Parents want texts about what is on." in text
    assert "We agreed: We will send a monthly text about what is on." in text
    assert f"/you-said-we-did/decisions/{decision.pk}/" in text
    assert segment_info(text).segments <= 2
    email = messages["bea@example.org"]
    assert "We agreed: We will send a monthly text" in email.body
    assert item.summary in email.body


def test_people_hear_again_only_when_the_status_changes(people, make_item, make_decision):
    page = people["page"]
    item = make_item(consultation=page, evidence=evidence(page, "first-place", "school"))
    decision = make_decision([item], status="under_consideration")
    decision.summary = "Corrected wording"
    decision.save()
    decision.save_revision().publish()
    assert OutcomeNotice.objects.filter(decision=decision).count() == 1
    services.set_status(decision, DecisionStatus.AGREED, decided_on=page.closes_at.date())
    assert list(OutcomeNotice.objects.filter(decision=decision).values_list("status", flat=True)) == [
        DecisionStatus.AGREED,
        DecisionStatus.UNDER_CONSIDERATION,
    ]


def test_a_draft_decision_tells_nobody(people, make_item, make_decision):
    page = people["page"]
    item = make_item(consultation=page, evidence=evidence(page, "first-place", "school"))
    make_decision([item], publish=False)
    assert not OutcomeNotice.objects.exists()


def test_how_many_were_told(people, make_item, make_decision):
    page = people["page"]
    item = make_item(consultation=page, evidence=evidence(page, "first-place", "school"))
    decision = make_decision([item])
    notice = OutcomeNotice.objects.get(decision=decision)
    _fan_out(notice)
    Message.objects.filter(campaign=notice.campaign, recipient="+447700900101").update(
        status=MessageStatus.DELIVERED
    )
    Message.objects.filter(campaign=notice.campaign, recipient="bea@example.org").update(
        status=MessageStatus.SENT
    )
    told = services.with_told_counts(Decision.objects.filter(pk=decision.pk)).values_list("pk", "told")
    assert dict(told) == {decision.pk: 2}


def test_the_decisions_list_shows_how_many_were_told(client, staff_login, people, make_item, make_decision):
    page = people["page"]
    decision = make_decision([make_item(consultation=page, evidence=evidence(page, "first-place", "school"))])
    notice = OutcomeNotice.objects.get(decision=decision)
    _fan_out(notice)
    Message.objects.filter(campaign=notice.campaign).exclude(status=MessageStatus.SUPPRESSED).update(
        status=MessageStatus.DELIVERED
    )
    staff_login(CONSULTATION_OFFICERS)
    html = client.get(reverse("wagtailsnippets_feedback_loop_decision:list")).content.decode()
    assert "Parents told" in html
    # Ada, Bea and Cat answered; Eve answered too but her number is suppressed; Gus's forum is not involved.
    assert re.search(r"<td[^>]*>\s*3\s*</td>", html)


def test_consultations_and_meetings_offer_to_add_an_item(client, staff_login, people):
    staff_login(CONSULTATION_OFFICERS)
    for page, param in ((people["page"], "consultation"), (people["event"], "event")):
        html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
        assert f"/admin/snippets/feedback_loop/feedbackitem/add/?{param}={page.pk}" in html
    form = client.get(
        f"/admin/snippets/feedback_loop/feedbackitem/add/?event={people['event'].pk}"
    ).content.decode()
    assert "Evening meetings please" in form


def test_draft_items_bring_nobody_into_the_audience(
    people, make_consultation, make_contact, answer, make_item, make_decision
):
    page = people["page"]
    other = make_consultation(slug="third", title="A third consultation")
    answer(other, contact=make_contact("Jo", mobile="+447700900110"))
    published = make_item(consultation=page, evidence=evidence(page, "first-place", "school"))
    draft = make_item(consultation=other, evidence=evidence(other, "first-place", "school"), publish=False)
    decision = make_decision([published, draft])
    messages = _fan_out(OutcomeNotice.objects.get(decision=decision))
    assert "+447700900101" in messages
    assert "+447700900110" not in messages
