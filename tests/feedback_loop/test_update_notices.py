"""A progress update marked "tell parents" tells the people behind the decision once, when it is
published: its own "Update" message, or inside the status message when the same publish changes the
status. The confirmation screen shows and counts it."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given, settings
from hypothesis import strategies as st

from feedback_loop import services
from feedback_loop.choices import DecisionStatus
from feedback_loop.models import Decision, DecisionUpdate, OutcomeNotice
from feedback_loop.outcome_text import sms_text, update_sms
from messaging import services as messaging
from messaging.choices import Channel
from messaging.models import Campaign, Message
from messaging.sms import segment_info
from parentvoice.accounts.roles import DECISION_MAKERS
from parentvoice.dates import govuk_date

from .conftest import decision_form, evidence

pytestmark = pytest.mark.django_db

LINK = "https://parentvoice.example.org/you-said-we-did/decisions/12345/"
DONE_TEXT = "The first evening meeting was held in Dover on Tuesday."


@pytest.fixture
def decided(log_page, closed_consultation, make_contact, answer, make_item, make_decision):
    page = closed_consultation
    answer(page, contact=make_contact("Ada", mobile="+447700900401"))
    answer(page, contact=make_contact("Bea", email="bea@example.org", preferred=Channel.EMAIL))
    item = make_item(consultation=page, evidence=evidence(page, "first-place", "school"))
    return make_decision([item])


def add_update(decision, text=DONE_TEXT, *, tell=True, publish=True, **fields):
    decision = Decision.objects.get(pk=decision.pk)
    for name, value in fields.items():
        setattr(decision, name, value)
    decision.updates.add(DecisionUpdate(date=timezone.localdate(), text=text, tell_parents=tell))
    revision = decision.save_revision()
    if publish:
        revision.publish()
    return revision


def decision_campaigns(decision):
    return Campaign.objects.filter(audience_source=f"decision:{decision.pk}").count()


def messages_of(campaign_id):
    messaging.prepare_campaign(campaign_id)
    return {m.recipient: m for m in Message.objects.filter(campaign_id=campaign_id)}


def test_two_updates_published_together_are_one_message_per_person(decided):
    """One message per person per decision change: two updates marked at once are one Update."""
    decision = Decision.objects.get(pk=decided.pk)
    yesterday = timezone.localdate() - timedelta(days=1)
    decision.updates.add(DecisionUpdate(date=yesterday, text="Rooms booked in Dover.", tell_parents=True))
    decision.updates.add(DecisionUpdate(date=timezone.localdate(), text=DONE_TEXT, tell_parents=True))
    decision.save_revision().publish()
    notices = OutcomeNotice.objects.filter(update__isnull=False)
    assert notices.count() == 2 and len({n.campaign_id for n in notices}) == 1
    sent = messages_of(notices.first().campaign_id)
    assert Message.objects.filter(campaign_id=notices.first().campaign_id).count() == 2
    assert DONE_TEXT in sent["+447700900401"].body  # the text gives the newest
    email = sent["bea@example.org"].body
    assert DONE_TEXT in email and "Rooms booked in Dover." in email  # the email every one
    assert email.index(DONE_TEXT) < email.index("Rooms booked in Dover.")


def test_an_update_marked_tell_parents_sends_one_update_message(decided):
    add_update(decided)
    notice = OutcomeNotice.objects.get(update__isnull=False)
    assert notice.campaign.name.startswith("Update: ")
    sent = messages_of(notice.campaign_id)
    assert set(sent) == {"+447700900401", "bea@example.org"}
    today = govuk_date(timezone.localdate())
    text = sent["+447700900401"].body
    assert f"{today}: {DONE_TEXT} Details: " in text and f"/decisions/{decided.pk}/" in text
    assert segment_info(text).segments <= 2
    email = sent["bea@example.org"]
    assert DONE_TEXT in email.body and decided.summary in email.body
    # Republishing (a wording change) tells nobody again.
    decision = Decision.objects.get(pk=decided.pk)
    decision.summary = "Corrected wording."
    decision.save_revision().publish()
    assert OutcomeNotice.objects.filter(update__isnull=False).count() == 1
    assert decision_campaigns(decided) == 2


def test_an_update_not_marked_tells_nobody(decided):
    add_update(decided, tell=False)
    assert not OutcomeNotice.objects.filter(update__isnull=False).exists()
    assert decision_campaigns(decided) == 1
    assert services.untold_decisions().count() == 0


def test_a_status_change_carries_the_update_in_one_message(
    log_page, closed_consultation, make_contact, answer, make_item, make_decision
):
    page = closed_consultation
    answer(page, contact=make_contact("Bea", email="bea@example.org", preferred=Channel.EMAIL))
    item = make_item(consultation=page, evidence=evidence(page, "first-place", "school"))
    decision = make_decision([item], status="agreed")
    add_update(decision, status=DecisionStatus.DONE)
    notices = OutcomeNotice.objects.filter(decision=decision, status=DecisionStatus.DONE)
    assert notices.count() == 2  # the status's and the update's, one campaign
    assert len({n.campaign_id for n in notices}) == 1
    (email,) = messages_of(notices[0].campaign_id).values()
    assert "Done: We will send a monthly text" in email.body
    assert f"Update, {govuk_date(timezone.localdate())}: {DONE_TEXT}" in email.body
    assert decision_campaigns(decision) == 2  # the first status's and this one


def test_a_draft_or_scheduled_update_tells_nobody_until_it_goes_live(decided):
    add_update(decided, publish=False)
    assert not OutcomeNotice.objects.filter(update__isnull=False).exists()
    revision = add_update(decided, publish=False, go_live_at=timezone.now() + timedelta(days=1))
    revision.publish()
    assert not OutcomeNotice.objects.filter(update__isnull=False).exists()
    # Its time comes: the scheduled publish tells them.
    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    assert OutcomeNotice.objects.filter(update__isnull=False).count() == 1


def test_will_notify_and_untold_decisions_see_untold_updates(decided):
    copy = Decision.objects.get(pk=decided.pk)
    assert not services.will_notify(copy)
    copy.updates.add(DecisionUpdate(date=timezone.localdate(), text=DONE_TEXT, tell_parents=True))
    assert services.will_notify(copy)
    # Published without its notice (starting the campaign failed): the dashboard offers to retry.
    DecisionUpdate.objects.create(decision=decided, text=DONE_TEXT, tell_parents=True)
    assert list(services.untold_decisions()) == [decided]
    services.notify_outcome(Decision.objects.get(pk=decided.pk))
    assert list(services.untold_decisions()) == []


def _form_with_update(decision, item, **update):
    values = {"date": timezone.localdate().isoformat(), "text": DONE_TEXT, "tell_parents": "on", **update}
    fields = {f"updates-0-{name}": value for name, value in values.items()}
    return decision_form(
        [item],
        summary=decision.summary,
        **{"updates-TOTAL_FORMS": 1, "updates-0-id": "", "updates-0-ORDER": "1", **fields},
    )


def test_the_confirmation_shows_and_counts_the_update_and_a_replay_tells_nobody_twice(
    client, staff_login, decided
):
    staff_login(DECISION_MAKERS)
    item = decided.feedback_items.get()
    edit_url = reverse("wagtailsnippets_feedback_loop_decision:edit", args=[decided.pk])
    response = client.post(edit_url, _form_with_update(decided, item))
    decision = Decision.objects.get(pk=decided.pk)
    confirm_url = reverse("feedback_decision_publish", args=[decision.latest_revision_id])
    assert response.status_code == 302 and response.url == confirm_url, response.content.decode()[:3000]
    page = client.get(confirm_url).content.decode()
    assert "This will tell 2 people" in page
    assert "An update" in page and f"{govuk_date(timezone.localdate())}: {DONE_TEXT}" in page
    client.post(confirm_url)
    client.post(confirm_url)
    notices = OutcomeNotice.objects.filter(update__isnull=False)
    assert notices.count() == 1
    assert len(messages_of(notices.get().campaign_id)) == 2


# --- The update's text message ----------------------------------------------------------------

words = st.lists(
    st.text(st.characters(categories=["L", "M", "N", "P", "S", "Zs"]), max_size=30)
    | st.sampled_from([" ", "\n", "€", "“", "…", "😀", "((name))", "((link))"]),
    max_size=60,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(text=words.filter(lambda t: sms_text(t) != ""), link=st.sampled_from([LINK, ""]))
@example(text="a" * 900, link=LINK)
@example(text="😀 " * 400, link=LINK)
def test_any_update_fits_two_segments_and_starts_with_the_date(text, link):
    body = update_sms(date="29 December 2026", text=text, link=link)
    assert segment_info(messaging.sms_body(body)).segments <= 2
    assert body.startswith("29 December 2026: ")
    assert body.replace("…", "...")[len("29 December 2026: ") :][:1] == sms_text(text)[:1]
    assert "((" not in body


def test_a_short_update_says_everything():
    assert update_sms(date="29 December 2026", text="Evening meetings have started", link=LINK) == (
        f"29 December 2026: Evening meetings have started. Details: {LINK}"
    )
