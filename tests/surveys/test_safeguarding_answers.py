"""Safeguarding in consultations: answers screened as they arrive (web, paper, text), held from
exports and officers' screens while a case is open, released when a lead closes it with no concern,
and the notice parents read before they write in their own words."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from messaging.models import InboundMessage
from messaging.sms import TEXT_BREAK, segment_info, split_texts
from parentvoice.accounts.roles import CONSULTATION_OFFICERS, FORUM_COORDINATORS, SAFEGUARDING_LEADS
from parentvoice.safeguarding import workflow
from parentvoice.safeguarding.choices import CaseOutcome
from parentvoice.safeguarding.models import Case, HeldText
from parentvoice.safeguarding.registry import get_source
from parentvoice.safeguarding.services import HELD_TEXT, flag_by_hand, is_held
from surveys import exports, services
from surveys.choices import ResponseChannel
from surveys.models import Answer, ConsultationPage, Response, SmsConversation
from surveys.sms_dialogue import SAFEGUARDING_NOTICE

from .test_answering import REPLIES, _answer_all
from .texting import PHONE, text

DISCLOSURE = "My partner hits me and the kids"


@pytest.fixture(autouse=True)
def terms(concern_terms):
    """The starting term list (a transactional test's flush removes what the migration seeded)."""


NOTICE = "If a child is in danger now, call 999."


def _send_web(client, page, **replies):
    _answer_all(client, page, {**REPLIES, **replies})
    client.post(f"/consultations/{page.pk}/check-your-answers/")


def _assert_the_lead_was_emailed_a_link_only(lead_email, words):
    from django.core import mail

    (email,) = [m for m in mail.outbox if lead_email in m.to]
    case = Case.objects.get()
    assert f"/admin/safeguarding/cases/{case.pk}/" in email.body
    assert words not in email.subject + email.body and PHONE not in email.body


def _export_text(page):
    return "".join(exports.csv_chunks(page))


@pytest.mark.django_db(transaction=True)
def test_a_web_disclosure_opens_a_case_and_is_held_until_released(
    client, consultation, run_tasks, make_user, settings
):
    lead = make_user(email="lead@example.org", groups=[SAFEGUARDING_LEADS])
    _send_web(client, consultation, **{"anything-else": {"answer": DISCLOSURE}})
    run_tasks()
    _assert_the_lead_was_emailed_a_link_only("lead@example.org", DISCLOSURE)
    answer = Answer.objects.get(text=DISCLOSURE)
    case = Case.objects.get(source_kind="surveys.answer", source_id=answer.pk)
    assert case.flagged_by == "screen"
    assert case.text == DISCLOSURE and case.matched_terms
    # The label names the consultation and the question, never the person.
    assert case.source_label.startswith("Answer on the web: Support for parents")
    assert "anything else" in case.source_label
    # The ordinary answer opened no case.
    assert Case.objects.count() == 1
    assert is_held("surveys.answer", answer.pk)

    # Held: the export's cell says so, and the words are nowhere in it.
    exported = _export_text(consultation)
    assert DISCLOSURE not in exported and HELD_TEXT in exported
    assert "Meetings after 6pm" in exported  # other free text is untouched
    rows = list(csv.reader(io.StringIO(exported.lstrip("\ufeff"))))
    assert sum(HELD_TEXT in row for row in rows) == 1

    workflow.close_case(case, CaseOutcome.NO_CONCERN, lead)
    exported = _export_text(consultation)
    assert DISCLOSURE in exported and HELD_TEXT not in exported


@pytest.mark.django_db(transaction=True)
def test_a_closed_case_with_a_concern_keeps_the_text_held(client, consultation, run_tasks, make_user):
    _send_web(client, consultation, **{"forum-barrier": {"answer": "He hits the children when drunk"}})
    run_tasks()
    case = Case.objects.get()
    workflow.close_case(
        case, CaseOutcome.REFERRED, make_user(email="l@example.org", groups=[SAFEGUARDING_LEADS])
    )
    assert HELD_TEXT in _export_text(consultation)
    assert "He hits the children" not in _export_text(consultation)


@pytest.mark.django_db(transaction=True)
def test_paper_answers_are_screened(client, consultation, run_tasks, staff_login):
    officer = staff_login(group=CONSULTATION_OFFICERS)
    schema = {q.code: q for q in services.schema_for(consultation)}
    response = services.submit_response(
        consultation,
        {
            schema["first-place"].id: "school",
            schema["ease"].id: "3",
            schema["would-help"].id: {"keys": ["courses"], "other": ""},
            schema["forum"].id: "yes",
            schema["how-asked"].id: "text",
            schema["anything-else"].id: "I am scared of self-harm",
        },
        channel=ResponseChannel.PAPER,
        entered_by=officer,
    )
    run_tasks()
    case = Case.objects.get()
    assert case.source_id == response.answers.get(text__startswith="I am scared").pk
    assert case.source_label.startswith("Answer on paper:")


@pytest.mark.django_db(transaction=True)
def test_a_text_disclosure_opens_a_case_at_once_and_moves_to_the_answer(
    client, settings, keyword_consultation, run_tasks, staff_login, make_user
):
    def say(body):
        return text(client, settings, body)

    make_user(email="lead@example.org", groups=[SAFEGUARDING_LEADS])
    for body in ("SUPPORT", "2", "4", "1", "No"):
        say(body)
    say("My partner hits me and the kids")  # the forum-barrier question
    run_tasks()
    # Mid-conversation: the case is on the text received, at once.
    inbound = InboundMessage.objects.get(body="My partner hits me and the kids")
    case = Case.objects.get()
    assert (case.source_kind, case.source_id) == ("messaging.inbound", inbound.pk)
    assert case.source_label == "Text message received"
    assert get_source("messaging.inbound").details(inbound.pk).contact == [("Mobile (texted from)", PHONE)]
    _assert_the_lead_was_emailed_a_link_only("lead@example.org", "My partner hits me")

    for body in ("1", "skip", "no thanks"):
        say(body)
    run_tasks()
    assert SmsConversation.objects.get().status == "complete"
    answer = Answer.objects.get(text="My partner hits me and the kids")
    # One case, still naming the text (and its number), now holding the saved answer too.
    assert Case.objects.count() == 1
    assert HeldText.objects.get(source_kind="surveys.answer", source_id=answer.pk).case == case
    assert is_held("surveys.answer", answer.pk)
    assert HELD_TEXT in _export_text(keyword_consultation)
    assert "My partner hits" not in _export_text(keyword_consultation)

    # The officer's transcript shows the text as held; the public results never show free text.
    staff_login(CONSULTATION_OFFICERS)
    conversation = SmsConversation.objects.get()
    transcript = client.get(
        reverse("surveys_sms_conversation", args=[keyword_consultation.pk, conversation.pk])
    ).content.decode()
    assert "My partner hits" not in transcript and HELD_TEXT in transcript
    ConsultationPage.objects.filter(pk=keyword_consultation.pk).update(results_published=True)
    public = client.get(keyword_consultation.url + "results/")
    assert public.status_code == 200 and "My partner hits" not in public.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_disclosure_in_the_last_text_opens_one_case_on_the_answer(
    client, settings, keyword_consultation, run_tasks
):
    for body in ("SUPPORT", "2", "4", "1", "Yes", "1", "skip"):
        text(client, settings, body)
    text(client, settings, "my partner hits me and the kids")  # the last question
    run_tasks()
    answer = Answer.objects.get(text="my partner hits me and the kids")
    case = Case.objects.get()  # one case, not one for the text and one for the answer
    assert case.source_kind == "messaging.inbound"
    assert HeldText.objects.get(source_kind="surveys.answer", source_id=answer.pk).case == case
    assert "my partner hits" not in _export_text(keyword_consultation)


def test_flagging_a_finished_conversations_text_by_hand_holds_the_answer_it_became(
    client, settings, keyword_consultation, make_user
):
    worry = "nobody collects my son after school and I worry about him"  # matches no term
    for body in ("SUPPORT", "2", "4", "1", "Yes", "1", "skip", worry):
        text(client, settings, body)
    assert SmsConversation.objects.get().status == "complete"
    answer = Answer.objects.get(text=worry)
    assert not Case.objects.exists()

    officer = make_user(email="officer@example.org", groups=[CONSULTATION_OFFICERS])
    inbound = InboundMessage.objects.get(body=worry)
    flag_by_hand("messaging.inbound", inbound.pk, officer, "Read it in the transcript")
    assert is_held("messaging.inbound", inbound.pk) and is_held("surveys.answer", answer.pk)
    assert worry not in _export_text(keyword_consultation)


def test_the_notice_shows_on_free_text_questions_only(client, consultation):
    schema = {q.code: q for q in services.schema_for(consultation)}
    client.get(f"/consultations/{consultation.pk}/start/")
    choice = client.get(f"/consultations/{consultation.pk}/question/{schema['first-place'].id}/")
    assert NOTICE not in choice.content.decode()
    _answer_all(client, consultation, {**REPLIES, "anything-else": {"answer": "x"}})
    free = client.get(f"/consultations/{consultation.pk}/question/{schema['anything-else'].id}/")
    page = free.content.decode()
    assert NOTICE in page and settings_phone() in page
    assert "we will pass it on to keep them safe" in page
    assert 'class="govuk-inset-text"' in page


def settings_phone():
    from django.conf import settings

    return settings.SAFEGUARDING_FRONT_DOOR_PHONE


@pytest.mark.django_db
def test_the_notice_comes_with_the_first_free_text_question_by_text(client, settings, keyword_consultation):
    replies = [text(client, settings, body) for body in ("SUPPORT", "2", "4", "1")]
    assert not any(SAFEGUARDING_NOTICE in reply for reply in replies)
    first_free = text(client, settings, "No")
    assert first_free.startswith("Q5/8 What would make it easier") and SAFEGUARDING_NOTICE in first_free
    replies = [text(client, settings, body) for body in ("Evening meetings", "1", "skip")]
    assert replies[-1].startswith("Q8/8 Is there anything else")
    assert not any(SAFEGUARDING_NOTICE in reply for reply in replies)
    for part in split_texts(first_free):
        assert segment_info(part).encoding == "GSM-7" and segment_info(part).segments <= 2
    assert TEXT_BREAK not in first_free


@pytest.mark.django_db
def test_when_the_first_free_text_question_is_hidden_the_next_one_carries_the_notice(
    client, settings, keyword_consultation
):
    for body in ("SUPPORT", "2", "4", "1", "Yes", "1"):
        text(client, settings, body)
    last = text(client, settings, "skip")
    assert last.startswith("Q7/7 Is there anything else") and SAFEGUARDING_NOTICE in last


@pytest.mark.django_db
def test_officers_see_held_text_and_a_flag_button(client, consultation, staff_login):
    _send_web(client, consultation, **{"anything-else": {"answer": "Private words"}})
    officer = staff_login(group=CONSULTATION_OFFICERS)
    answer = Answer.objects.get(text="Private words")
    url = reverse("surveys_free_text", args=[consultation.pk, answer.question_id])
    page = client.get(url).content.decode()
    assert "Private words" in page and "Flag a safeguarding concern" in page

    flag_by_hand("surveys.answer", answer.pk, officer, "worrying")
    page = client.get(url).content.decode()
    assert "Private words" not in page and HELD_TEXT in page
    # Searching cannot find a held answer's words.
    found = client.get(url, {"q": "Private"}).content.decode()
    assert "Private words" not in found and HELD_TEXT not in found


@pytest.mark.django_db
def test_who_can_flag_an_answer(client, consultation, make_user):
    _send_web(client, consultation, **{"anything-else": {"answer": "Some words"}})
    answer = Answer.objects.get(text="Some words")
    can_flag = get_source("surveys.answer").can_flag
    officer = make_user(email="o@example.org", groups=[CONSULTATION_OFFICERS])
    coordinator = make_user(email="c@example.org", groups=[FORUM_COORDINATORS])
    assert can_flag(officer, answer.pk)
    assert not can_flag(coordinator, answer.pk)
    with pytest.raises(PermissionError):
        flag_by_hand("surveys.answer", answer.pk, coordinator)


@pytest.mark.django_db
def test_an_anonymous_web_answer_gives_the_lead_no_contact(client, make_consultation):
    page = make_consultation(anonymity="anonymous")
    _send_web(client, page, **{"anything-else": {"answer": "Some words"}})
    answer = Answer.objects.get(text="Some words")
    details = get_source("surveys.answer").details(answer.pk)
    assert [what for what, _ in details.contact] == ["Response reference"]
    assert details.admin_url.endswith(f"/{answer.question_id}/")


# --- Read against the terms as they arrive (issue #19: a submit queues a task only when it must) ---


def _screening_tasks():
    from django_tasks_db.models import DBTaskResult

    return list(
        DBTaskResult.objects.filter(task_path__endswith="screen_texts").values_list("args_kwargs", flat=True)
    )


def test_a_submit_with_no_concern_queues_no_screening(client, consultation):
    _send_web(client, consultation, **{"anything-else": {"answer": "More evening groups please"}})
    assert Answer.objects.filter(text="More evening groups please").exists()
    assert _screening_tasks() == []


def test_only_the_answers_matching_a_term_are_queued(client, consultation):
    _send_web(client, consultation, **{"anything-else": {"answer": DISCLOSURE}})
    (queued,) = _screening_tasks()
    disclosure = Answer.objects.get(text=DISCLOSURE)
    assert queued["args"] == ["surveys.answer", [disclosure.pk]]  # not "Meetings after 6pm"


def test_a_term_a_lead_adds_applies_to_the_next_submit(client, consultation, make_user):
    from parentvoice.safeguarding.models import ConcernTerm
    from parentvoice.safeguarding.services import screening_terms

    words = "The toddler group on Tuesdays is too noisy"
    assert screening_terms()  # the list is in the cache now
    _send_web(client, consultation, **{"anything-else": {"answer": words}})
    assert _screening_tasks() == []
    ConcernTerm.objects.create(phrase="too noisy", match="phrase")
    _send_web(Client(), consultation, **{"anything-else": {"answer": words}})
    (queued,) = _screening_tasks()
    assert queued["args"][1] == [Answer.objects.filter(text=words).latest("pk").pk]
    ConcernTerm.objects.filter(phrase="too noisy").delete()
    assert "too noisy" not in dict(screening_terms())


def test_a_term_list_read_before_a_new_term_commits_is_not_kept(
    monkeypatch, django_capture_on_commit_callbacks
):
    """Another submit reading the terms between the save and its commit caches the list without the
    new term: the commit replaces the version it was cached under (attack review, issue #19)."""
    from parentvoice.safeguarding import services as safeguarding
    from parentvoice.safeguarding.models import ConcernTerm

    before = safeguarding.active_terms()
    with django_capture_on_commit_callbacks(execute=True):
        ConcernTerm.objects.create(phrase="too noisy", match="phrase")
        with monkeypatch.context() as other_connection:  # which cannot see the term until it commits
            other_connection.setattr(safeguarding, "active_terms", lambda: before)
            assert "too noisy" not in dict(safeguarding.screening_terms())
    assert "too noisy" in dict(safeguarding.screening_terms())


def test_a_term_list_read_before_a_new_term_commits_and_cached_after_is_not_used(
    monkeypatch, django_capture_on_commit_callbacks
):
    """A submit reads the table, the new term commits (emptying the cache), and only then does the
    submit cache the list it read: it must not be the list the next submits use (attack review)."""
    from parentvoice.safeguarding import services as safeguarding
    from parentvoice.safeguarding.models import ConcernTerm

    read_the_table = safeguarding.active_terms

    def read_then_the_term_commits():
        before = read_the_table()
        with django_capture_on_commit_callbacks(execute=True):
            ConcernTerm.objects.create(phrase="too noisy", match="phrase")
        return before

    with monkeypatch.context() as slow_submit:
        slow_submit.setattr(safeguarding, "active_terms", read_then_the_term_commits)
        assert "too noisy" not in dict(safeguarding.screening_terms())
    assert "too noisy" in dict(safeguarding.screening_terms())


def test_a_text_a_list_from_before_a_change_let_through_is_screened_once_that_list_has_expired(
    client, consultation, monkeypatch, django_capture_on_commit_callbacks
):
    """Replacing the version can fail as the change commits (the cache timing out): a task queued with
    the change reads the texts saved since just before it again, after any older list has expired
    (attack review, issue #19)."""
    from datetime import datetime, timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from parentvoice.safeguarding import services as safeguarding
    from parentvoice.safeguarding.models import ConcernTerm

    # One the starting terms queued, when a test before this one had flushed them.
    DBTaskResult.objects.filter(task_path__endswith="screen_texts_saved_since").delete()
    words = "The toddler group on Tuesdays is too noisy"
    _send_web(client, consultation, **{"anything-else": {"answer": words}})
    Response.objects.update(completed_at=timezone.now() - timedelta(hours=1))  # long before the change
    old_list = safeguarding.active_terms()
    with django_capture_on_commit_callbacks(execute=True):
        ConcernTerm.objects.create(phrase="too noisy", match="phrase")
    (sweep,) = DBTaskResult.objects.filter(task_path__endswith="screen_texts_saved_since")
    assert sweep.run_after > timezone.now() + timedelta(seconds=safeguarding.SCREENING_TERMS_SECONDS)

    with monkeypatch.context() as stale_cache:
        stale_cache.setattr(safeguarding, "screening_terms", lambda: old_list)
        _send_web(Client(), consultation, **{"anything-else": {"answer": words}})
    assert _screening_tasks() == []  # let through as it arrived
    let_through = Answer.objects.filter(text=words).latest("pk")

    # Another term changed meanwhile pushes the waiting sweep back rather than queue another.
    ConcernTerm.objects.create(phrase="too loud", match="phrase")
    (pushed_back,) = DBTaskResult.objects.filter(task_path__endswith="screen_texts_saved_since")
    assert pushed_back.args_kwargs == sweep.args_kwargs and pushed_back.run_after > sweep.run_after

    (since,) = sweep.args_kwargs["args"]
    before_it = let_through.response.completed_at - timedelta(microseconds=1)
    assert safeguarding.screen_saved_since(datetime.fromisoformat(since), until=before_it) == 0
    assert safeguarding.screen_saved_since(datetime.fromisoformat(since)) == 1
    assert list(Case.objects.values_list("source_kind", "source_id")) == [("surveys.answer", let_through.pk)]
    assert safeguarding.screen_saved_since(datetime.fromisoformat(since)) == 0  # nothing opened twice


@pytest.mark.django_db(transaction=True)
def test_the_sweep_runs_in_the_worker_and_opens_the_case(client, consultation, monkeypatch, run_tasks):
    from datetime import timedelta

    from django.utils import timezone

    from parentvoice.safeguarding import services as safeguarding
    from parentvoice.safeguarding.models import ConcernTerm

    run_tasks()  # the starting terms' own sweep
    old_list = safeguarding.active_terms()
    ConcernTerm.objects.create(phrase="too noisy", match="phrase")
    with monkeypatch.context() as stale_cache:
        stale_cache.setattr(safeguarding, "screening_terms", lambda: old_list)
        _send_web(client, consultation, **{"anything-else": {"answer": "The group is too noisy"}})
    # A moment before the worker runs it (the fixture makes the sweep due a second ago).
    Response.objects.update(completed_at=timezone.now() - timedelta(seconds=3))
    run_tasks()
    assert Case.objects.get().source_id == Answer.objects.get(text="The group is too noisy").pk


def test_under_the_database_cache_the_terms_are_read_from_the_table(settings):
    """The database cache's writes would be part of the submit's transaction (and a read costs what
    reading the table does), so a term switched on without any signal applies at once."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from parentvoice.safeguarding import services as safeguarding
    from parentvoice.safeguarding.models import ConcernTerm

    settings.CACHES = {  # Django's setting_changed handler makes the cache backends again
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "terms_cache"},
    }
    call_command("createcachetable", verbosity=0)
    sweeps = DBTaskResult.objects.filter(task_path__endswith="screen_texts_saved_since")
    sweeps.delete()  # one the starting terms queued, when a test before this one had flushed them
    term = ConcernTerm.objects.create(phrase="too noisy", match="phrase", active=False)
    assert "too noisy" not in dict(safeguarding.screening_terms())
    ConcernTerm.objects.filter(pk=term.pk).update(active=True)  # no signal: nothing to replace
    assert "too noisy" in dict(safeguarding.screening_terms())
    assert not sweeps.exists()


def test_a_cache_that_cannot_be_reached_fails_no_submit(client, consultation, monkeypatch):
    """Redis down: the terms are read from the table and the answer is saved and screened (attack
    review, issue #19)."""
    from parentvoice.safeguarding import services as safeguarding

    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(safeguarding.cache, "get_or_set", unreachable)
    _send_web(client, consultation, **{"anything-else": {"answer": DISCLOSURE}})
    (queued,) = _screening_tasks()
    assert queued["args"] == ["surveys.answer", [Answer.objects.get(text=DISCLOSURE).pk]]
