"""The rules for 'You said' items and decisions, and who may do what in the admin."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from feedback_loop import services
from feedback_loop.choices import DecisionStatus, check_transition
from feedback_loop.models import Decision, FeedbackClosure, FeedbackItem
from parentvoice.accounts.roles import CONSULTATION_OFFICERS, DECISION_MAKERS, FORUM_COORDINATORS

from .conftest import decision_form, evidence, question

pytestmark = pytest.mark.django_db


def test_evidence_counts_each_person_once(closed_consultation, answer, make_item):
    page = closed_consultation
    answer(page, first_place="school", would_help=["childcare", "courses"])
    answer(page, first_place="health", would_help=["childcare"])
    answer(page, first_place="family")
    item = make_item(consultation=page, evidence=evidence(page, "would-help", "childcare", "courses"))
    assert item.response_count == 2
    item.evidence = evidence(page, "would-help", "childcare") + evidence(page, "first-place", "family")
    item.save()
    assert item.response_count == 3


def test_evidence_options_list_answers_with_counts(closed_consultation, answer):
    page = closed_consultation
    answer(page, first_place="school", free_text="Meetings after work")
    options = dict(services.evidence_options(page))
    school = f"{question(page, 'first-place').id}|school"
    assert options[school].endswith("My child's school or nursery (1)")
    assert options[f"{question(page, 'forum-barrier').id}|"].endswith("answered in their own words (1)")


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({}, "consultation", "Choose the consultation or the forum meeting"),
        ({"evidence": []}, "evidence", "Choose at least one answer this rests on."),
        ({"evidence": ["nonsense|x"]}, "evidence", "Choose answers from this consultation's questions."),
    ],
)
def test_an_item_needs_one_source_and_its_evidence(closed_consultation, theme, fields, field, message):
    item = FeedbackItem(summary="x", theme=theme, **fields)
    if fields:
        item.consultation = closed_consultation
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert message in " ".join(error.value.message_dict[field])


def test_an_item_from_a_meeting_rests_on_one_of_its_points(make_forum, make_event, make_item, theme):
    forum = make_forum("Dover forum", district="Dover")
    event = make_event(
        forum, "Meeting", days=-3, parents_said=[("said", {"text": "Evening meetings please"})]
    )
    item = FeedbackItem(summary="x", theme=theme, event=event, point_id="not-a-point")
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "point_id" in error.value.message_dict
    item = make_item(event=event, point_id=event.parents_said[0].id)
    assert item.response_count == 0


def test_quotes_with_contact_details_cannot_be_approved(make_item, closed_consultation):
    page = closed_consultation
    for text, problem in [
        ("Ring me on 07700 900123 any time", "phone number"),
        ("Email me at jo@example.org", "email address"),
        ("I live at CT16 1AA", "postcode"),
    ]:
        with pytest.raises(ValidationError) as error:
            make_item(
                consultation=page, evidence=evidence(page, "first-place", "school"), quotes=[(text, True)]
            )
        assert problem in str(error.value)
    # Unapproved, it may be kept while an officer edits it: it is never published.
    item = make_item(
        consultation=page,
        evidence=evidence(page, "first-place", "school"),
        quotes=[("Ring 07700 900123", False)],
    )
    assert item.quotes.count() == 1


@pytest.mark.parametrize(
    "old, new, allowed",
    [
        (None, "done", True),
        ("under_consideration", "agreed", True),
        ("under_consideration", "not_agreed", True),
        ("agreed", "done", True),
        ("partly_agreed", "done", True),
        ("not_agreed", "under_consideration", True),
        ("agreed", "not_agreed", False),
        ("under_consideration", "done", False),
        ("done", "agreed", False),
        ("not_agreed", "done", False),
    ],
)
def test_status_transitions(old, new, allowed):
    if allowed:
        check_transition(old, new)
    else:
        with pytest.raises(ValidationError):
            check_transition(old, new)


def test_a_published_decisions_status_moves_only_forward(closed_consultation, make_item, make_decision):
    page = closed_consultation
    item = make_item(consultation=page, evidence=evidence(page, "first-place", "school"))
    decision = make_decision([item], status="agreed")
    decision.status = DecisionStatus.NOT_AGREED
    decision.reason = "Changed our minds"
    with pytest.raises(ValidationError) as error:
        decision.full_clean(exclude=["feedback_items"])
    assert "cannot become not agreed. It can only become done." in error.value.message_dict["status"][0]
    done = services.set_status(decision, DecisionStatus.DONE)
    assert done.status == DecisionStatus.DONE
    # A draft that was never published may start anywhere.
    draft = make_decision([item], status="under_consideration", publish=False)
    draft.status = DecisionStatus.DONE
    draft.decided_on = timezone.localdate()
    draft.full_clean(exclude=["feedback_items"])


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"status": "not_agreed", "reason": " "}, "reason", "Explain why this was not agreed"),
        ({"status": "agreed", "decided_on": None}, "decided_on", "Enter the date it was decided."),
        ({"decided_on": timezone.localdate() + timedelta(days=2)}, "decided_on", "today or in the past"),
        (
            {"due_on": timezone.localdate() - timedelta(days=30)},
            "due_on",
            "on or after the date it was decided",
        ),
    ],
)
def test_decision_rules(fields, field, message):
    values = {
        "summary": "x",
        "status": "agreed",
        "deciding_body": "Board",
        "owner": "Team",
        "decided_on": timezone.localdate() - timedelta(days=1),
    }
    decision = Decision(**{**values, **fields})
    with pytest.raises(ValidationError) as error:
        decision.full_clean(exclude=["feedback_items"])
    assert message in " ".join(error.value.message_dict[field])


def test_publishing_a_decision_is_in_the_audit_log(closed_consultation, make_item, make_decision):
    page = closed_consultation
    item = make_item(consultation=page, evidence=evidence(page, "first-place", "school"))
    decision = make_decision([item])
    actions = set(ModelLogEntry.objects.filter(object_id=str(decision.pk)).values_list("action", flat=True))
    assert {"wagtail.publish", "feedback.outcome_notice"} <= actions


@pytest.mark.parametrize(
    "group, url_name, status",
    [
        (DECISION_MAKERS, "wagtailsnippets_feedback_loop_decision:add", 200),
        (DECISION_MAKERS, "wagtailsnippets_feedback_loop_feedbackitem:list", 200),
        (DECISION_MAKERS, "feedback_dashboard", 200),
        (CONSULTATION_OFFICERS, "wagtailsnippets_feedback_loop_feedbackitem:add", 200),
        (CONSULTATION_OFFICERS, "wagtailsnippets_feedback_loop_decision:add", 200),
        (FORUM_COORDINATORS, "wagtailsnippets_feedback_loop_decision:add", 302),
        (FORUM_COORDINATORS, "feedback_dashboard", 302),
    ],
)
def test_who_may_record_what(client, staff_login, home_page, group, url_name, status):
    staff_login(group)
    response = client.get(reverse(url_name))
    assert response.status_code == status
    if status == 302:  # Wagtail turns "permission denied" into a message on the dashboard
        assert response.url == "/admin/"


def test_decision_makers_cannot_write_up_items_or_close_consultations(
    client, staff_login, closed_consultation
):
    staff_login(DECISION_MAKERS)
    assert client.get(reverse("wagtailsnippets_feedback_loop_feedbackitem:add")).status_code == 302
    response = client.post(reverse("feedback_close", args=[closed_consultation.pk]))
    assert (response.status_code, response.url) == (302, "/admin/")
    assert not FeedbackClosure.objects.exists()


def test_adding_an_item_in_the_admin_lists_the_consultations_answers(
    client, staff_login, closed_consultation, answer, theme
):
    page = closed_consultation
    answer(page, first_place="school")
    answer(page, first_place="school")
    staff_login(CONSULTATION_OFFICERS)
    add_url = reverse("wagtailsnippets_feedback_loop_feedbackitem:add")
    form = client.get(f"{add_url}?consultation={page.pk}").content.decode()
    assert "My child&#x27;s school or nursery (2)" in form
    data = {
        "summary": "Schools are where parents look first.",
        "theme": theme.pk,
        "consultation": page.pk,
        "quotes-TOTAL_FORMS": 0,
        "quotes-INITIAL_FORMS": 0,
        "quotes-MIN_NUM_FORMS": 0,
        "quotes-MAX_NUM_FORMS": 1000,
    }
    response = client.post(add_url, data)
    assert response.status_code == 200
    assert "Choose at least one answer this rests on." in response.content.decode()
    response = client.post(
        add_url, {**data, "evidence": evidence(page, "first-place", "school"), "action-publish": "1"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item = FeedbackItem.objects.get()
    assert (item.live, item.response_count) == (True, 2)


def _decision_form(item, **fields):
    return decision_form([item], **fields)


def test_a_decision_maker_publishes_a_decision_in_the_admin(
    client, staff_login, closed_consultation, make_item
):
    page = closed_consultation
    item = make_item(consultation=page, evidence=evidence(page, "first-place", "school"))
    user = staff_login(DECISION_MAKERS)
    add_url = reverse("wagtailsnippets_feedback_loop_decision:add")
    response = client.post(add_url, _decision_form(item, feedback_items=[]))
    assert "Tick at least one &#x27;You said&#x27; item this decision answers." in response.content.decode()
    response = client.post(add_url, _decision_form(item))
    decision = Decision.objects.get()
    # Publishing tells people, so it is confirmed first (see test_publish_confirmation.py).
    assert response.status_code == 302 and "/feedback/decisions/versions/" in response.url
    assert not decision.live
    assert client.post(response.url).status_code == 302
    decision = Decision.objects.get()
    assert decision.live and list(decision.feedback_items.all()) == [item]
    notice_log = ModelLogEntry.objects.get(action="feedback.outcome_notice", object_id=str(decision.pk))
    assert notice_log.user == user
    edit_url = reverse("wagtailsnippets_feedback_loop_decision:edit", args=[decision.pk])
    response = client.post(edit_url, _decision_form(item, status="not_agreed", reason="Too costly"))
    assert response.status_code == 200
    assert "A decision that is agreed cannot become not agreed" in response.content.decode()
    assert Decision.objects.get().status == "agreed"
