"""From an empty site to parents told: an officer writes up what parents said (answers grouped by
question), a decision maker records a decision, sees "This will tell N people" with the exact text and
email, publishes, and exactly those N messages are created, once."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from feedback_loop import services
from feedback_loop.models import Decision, FeedbackItem, OutcomeNotice
from messaging import services as messaging
from messaging.choices import Channel, MessageStatus, SuppressionReason
from messaging.models import Campaign, Message
from messaging.sms import segment_info
from parentvoice.accounts.roles import CONSULTATION_OFFICERS, DECISION_MAKERS, FORUM_COORDINATORS

from .conftest import decision_form, evidence, question

pytestmark = pytest.mark.django_db

DECISION = "From January, every forum will hold one evening meeting each term."


@pytest.fixture
def consultation(log_page, closed_consultation, make_contact, answer):
    """A consultation answered by someone by text, someone by email, someone who did not ask to
    hear about outcomes, someone who since texted STOP, and someone anonymous."""
    page = closed_consultation
    answer(page, first_place="school", contact=make_contact("Ada", mobile="+447700900201"))
    answer(
        page,
        first_place="school",
        contact=make_contact("Bea", email="bea@example.org", preferred=Channel.EMAIL),
    )
    answer(page, first_place="family", contact=make_contact("Dan", mobile="+447700900204", outcomes=False))
    answer(page, first_place="school", contact=make_contact("Eve", mobile="+447700900205"))
    messaging.suppress(Channel.SMS, "+447700900205", SuppressionReason.STOP)
    answer(page, first_place="school")
    return page


def _item_form(page, theme, **fields):
    return {
        "summary": "Meetings in the day are hard to get to if you work.",
        "theme": theme.pk,
        "consultation": page.pk,
        "quotes-TOTAL_FORMS": 0,
        "quotes-INITIAL_FORMS": 0,
        "quotes-MIN_NUM_FORMS": 0,
        "quotes-MAX_NUM_FORMS": 1000,
        **fields,
    }


def _decision_form(items, **fields):
    return decision_form(items, **{"summary": DECISION, **fields})


def _fan_out(decision):
    """What the campaign's task does once the publish commits."""
    notice = OutcomeNotice.objects.get(decision=decision, status=decision.status)
    messaging.prepare_campaign(notice.campaign_id)
    return Message.objects.filter(campaign_id=notice.campaign_id)


def _item(client, page, theme):
    add_url = reverse("wagtailsnippets_feedback_loop_feedbackitem:add")
    response = client.post(
        add_url,
        _item_form(page, theme, evidence=evidence(page, "first-place", "school"), **{"action-publish": "1"}),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return FeedbackItem.objects.get()


def test_the_answers_to_choose_from_are_grouped_by_question(client, staff_login, consultation):
    staff_login(CONSULTATION_OFFICERS)
    add_url = reverse("wagtailsnippets_feedback_loop_feedbackitem:add")
    html = client.get(f"{add_url}?consultation={consultation.pk}").content.decode()
    first_place = escape(question(consultation, "first-place").label)
    legend = html.index(f">{first_place}</legend>")
    fieldset = html.rindex("<fieldset", 0, legend)
    end = html.index("</fieldset>", legend)
    # The question's answers sit in its fieldset, without the question repeated in each label.
    assert "My child&#x27;s school or nursery (4)" in html[fieldset:end]
    assert f"{first_place} – " not in html
    assert f">{escape(question(consultation, 'would-help').label)}</legend>" in html


def test_publishing_shows_who_it_tells_then_tells_exactly_them(client, staff_login, consultation, theme):
    staff_login(CONSULTATION_OFFICERS)
    item = _item(client, consultation, theme)
    assert item.live and item.response_count == 4
    staff_login(DECISION_MAKERS)
    response = client.post(reverse("wagtailsnippets_feedback_loop_decision:add"), _decision_form([item]))
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("feedback_decision_publish", args=[decision.latest_revision_id])
    assert not decision.live and not OutcomeNotice.objects.exists(), "nothing happens before confirming"

    page = client.get(response.url).content.decode()
    # Ada by text, Bea by email; Dan did not ask to hear, Eve texted STOP, one answer is anonymous.
    assert "This will tell 2 people" in page
    assert "1 by text message" in page and "1 by email" in page
    assert "1 more asked us to stop sending to them" in page
    sms = (
        "Kent Parent Voice: You said: Meetings in the day are hard to get to if you work. "
        f"We agreed: {DECISION} Details: http://testserver/you-said-we-did/decisions/{decision.pk}/ "
        "Reply STOP to stop."
    )
    assert sms in page
    assert "You said, we did: Support for parents" in page
    assert "Publish and tell 2 people" in page
    assert reverse("wagtailsnippets_feedback_loop_decision:edit", args=[decision.pk]) in page  # Go back

    response = client.post(reverse("feedback_decision_publish", args=[decision.latest_revision_id]))
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.live
    messages = _fan_out(decision)
    sent = messages.exclude(status=MessageStatus.SUPPRESSED)
    assert sent.count() == 2, "N on the screen is the number of messages sent"
    by_recipient = {m.recipient: m for m in sent}
    assert by_recipient["+447700900201"].body == sms
    assert segment_info(sms).segments <= 2
    email = by_recipient["bea@example.org"]
    assert email.subject == "You said, we did: Support for parents"
    assert f"We agreed: {DECISION}" in email.body and "Hello Bea," in email.body


def test_replaying_the_confirmation_tells_nobody_twice(client, staff_login, consultation, theme):
    staff_login(CONSULTATION_OFFICERS)
    item = _item(client, consultation, theme)
    staff_login(DECISION_MAKERS)
    client.post(reverse("wagtailsnippets_feedback_loop_decision:add"), _decision_form([item]))
    confirm_url = reverse("feedback_decision_publish", args=[Decision.objects.get().latest_revision_id])
    client.post(confirm_url)
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert OutcomeNotice.objects.count() == 1
    assert Campaign.objects.filter(outcome_notices__isnull=False).count() == 1
    # The screen itself no longer offers to publish that version.
    assert client.get(confirm_url).status_code == 302


def test_a_version_edited_since_is_not_published(client, staff_login, consultation, theme):
    staff_login(CONSULTATION_OFFICERS)
    item = _item(client, consultation, theme)
    staff_login(DECISION_MAKERS)
    client.post(reverse("wagtailsnippets_feedback_loop_decision:add"), _decision_form([item]))
    decision = Decision.objects.get()
    confirm_url = reverse("feedback_decision_publish", args=[decision.latest_revision_id])
    edit_url = reverse("wagtailsnippets_feedback_loop_decision:edit", args=[decision.pk])
    draft = _decision_form([item], summary="Something else entirely.")
    del draft["action-publish"]
    assert client.post(edit_url, draft).status_code == 302
    client.post(confirm_url)
    assert not Decision.objects.get().live and not OutcomeNotice.objects.exists()


def test_correcting_the_wording_publishes_without_telling_anyone_again(
    client, staff_login, consultation, theme
):
    staff_login(CONSULTATION_OFFICERS)
    item = _item(client, consultation, theme)
    staff_login(DECISION_MAKERS)
    client.post(reverse("wagtailsnippets_feedback_loop_decision:add"), _decision_form([item]))
    decision = Decision.objects.get()
    client.post(reverse("feedback_decision_publish", args=[decision.latest_revision_id]))
    edit_url = reverse("wagtailsnippets_feedback_loop_decision:edit", args=[decision.pk])
    response = client.post(edit_url, _decision_form([item], summary="Corrected wording."))
    assert response.status_code == 302 and "/versions/" not in response.url
    assert Decision.objects.get().summary == "Corrected wording."
    assert OutcomeNotice.objects.count() == 1
    # Moving to a new status is confirmed again.
    response = client.post(edit_url, _decision_form([item], status="done"))
    assert "/feedback/decisions/versions/" in response.url
    assert Decision.objects.get().status == "agreed"


def test_when_nobody_asked_to_hear_it_says_so(
    client, staff_login, log_page, closed_consultation, answer, make_item, theme
):
    answer(closed_consultation)  # anonymous: nobody to tell
    item = make_item(
        consultation=closed_consultation, evidence=evidence(closed_consultation, "first-place", "school")
    )
    staff_login(DECISION_MAKERS)
    response = client.post(reverse("wagtailsnippets_feedback_loop_decision:add"), _decision_form([item]))
    page = client.get(response.url).content.decode()
    assert "Nobody will be told: no one who took part asked to hear" in page
    client.post(response.url)
    assert Decision.objects.get().live


@pytest.mark.parametrize("who", [FORUM_COORDINATORS, "editor without publish"])
def test_only_people_who_may_publish_decisions_reach_the_confirmation(
    client, staff_login, make_user, consultation, make_item, who
):
    item = make_item(consultation=consultation, evidence=evidence(consultation, "first-place", "school"))
    decision = Decision(
        summary=DECISION,
        status="agreed",
        deciding_body="Board",
        owner="Head of Early Help",
        decided_on=timezone.localdate(),
        live=False,
    )
    decision.feedback_items = [item]
    decision.save()
    revision = decision.save_revision()
    if who == FORUM_COORDINATORS:
        staff_login(FORUM_COORDINATORS)
    else:
        user = staff_login()
        user.user_permissions.add(
            *Permission.objects.filter(codename__in=["access_admin", "change_decision", "view_decision"])
        )
    url = reverse("feedback_decision_publish", args=[revision.pk])
    assert client.get(url).status_code in (302, 403)
    assert client.post(url).status_code in (302, 403)
    assert not Decision.objects.get().live and not OutcomeNotice.objects.exists()


def test_placeholders_in_someones_words_stay_words(
    log_page, closed_consultation, answer, make_item, make_decision
):
    """A campaign fills in "((name))" and "((link))": typed into a decision they must not reveal each
    recipient's name or change the text's length."""
    page = closed_consultation
    answer(page)
    item = make_item(
        consultation=page,
        summary="Parents said (((name)) and ((link))",
        evidence=evidence(page, "first-place", "school"),
    )
    decision = make_decision([item], summary="We agreed (((name)) ((title)) ((link))", publish=False)
    fields = services.outcome_campaign_fields(decision)
    assert fields["sms_template"].count("((") == 1 and fields["sms_template"].endswith("Details: ((link))")
    assert fields["email_template"].count("((") == 2  # "Hello ((name))" and "Read more: ((link))"
