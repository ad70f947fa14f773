"""Safeguarding and texts received: every text is screened as it is stored (whether or not a
consultation handles it), held on the 'Texts received' page while a case is open, and only staff who
can read texts received can flag one."""

import pytest

from messaging.models import InboundMessage
from parentvoice.accounts.roles import CONSULTATION_OFFICERS, FORUM_COORDINATORS
from parentvoice.safeguarding.models import Case
from parentvoice.safeguarding.registry import get_source
from parentvoice.safeguarding.services import HELD_TEXT, flag_by_hand
from tests.surveys.texting import PHONE, text


@pytest.fixture(autouse=True)
def terms(concern_terms):
    """The starting term list (a transactional test's flush removes what the migration seeded)."""


@pytest.mark.django_db(transaction=True)
def test_a_text_nobody_handles_is_still_screened(client, settings, run_tasks):
    text(client, settings, "please help my partner hits me and the kids")
    text(client, settings, "what time is the meeting")
    run_tasks()
    inbound = InboundMessage.objects.get(body__startswith="please help")
    case = Case.objects.get()
    assert (case.source_kind, case.source_id) == ("messaging.inbound", inbound.pk)
    assert case.source_label == "Text message received" and PHONE not in case.source_label


@pytest.mark.django_db(transaction=True)
def test_a_text_is_screened_against_the_terms_as_they_are_when_its_screening_runs(
    client, settings, run_tasks
):
    """A text received while the worker is behind is read against a term a lead adds meanwhile (attack
    review, issue #19: reading it against the cached list on arrival, and queueing only a match, lost
    this)."""
    from parentvoice.safeguarding.models import ConcernTerm

    text(client, settings, "the toddler group is too noisy for my son")
    ConcernTerm.objects.create(phrase="too noisy", match="phrase")
    run_tasks()
    inbound = InboundMessage.objects.get()
    assert Case.objects.get().source_id == inbound.pk


@pytest.mark.django_db
def test_a_held_text_reads_held_on_the_texts_received_page(client, settings, staff_login):
    text(client, settings, "some words")
    officer = staff_login(CONSULTATION_OFFICERS)
    inbound = InboundMessage.objects.get()
    url = f"/admin/snippets/messaging/inboundmessage/inspect/{inbound.pk}/"
    page = client.get(url).content.decode()
    assert "some words" in page and "Flag a safeguarding concern" in page
    flag_by_hand("messaging.inbound", inbound.pk, officer, "worried")
    page = client.get(url).content.decode()
    assert "some words" not in page and HELD_TEXT in page
    assert "Flag a safeguarding concern" not in page


@pytest.mark.django_db
def test_who_can_flag_a_text_received(client, settings, make_user):
    text(client, settings, "some words")
    inbound = InboundMessage.objects.get()
    source = get_source("messaging.inbound")
    assert source.can_flag(make_user(email="o@example.org", groups=[CONSULTATION_OFFICERS]), inbound.pk)
    assert not source.can_flag(make_user(email="c@example.org", groups=[FORUM_COORDINATORS]), inbound.pk)
    assert source.details(inbound.pk).contact == [("Mobile (texted from)", PHONE)]


def _screening_tasks():
    from django_tasks_db.models import DBTaskResult

    return list(
        DBTaskResult.objects.filter(task_path__endswith=".screen_text").values_list("args_kwargs", flat=True)
    )


@pytest.mark.django_db
def test_a_text_delivered_twice_is_stored_and_queued_for_screening_once(client, settings):
    text(client, settings, "what time is the meeting", sid="SM" + "1" * 32)
    text(client, settings, "what time is the meeting", sid="SM" + "1" * 32)
    inbound = InboundMessage.objects.get()
    assert [task["args"] for task in _screening_tasks()] == [["messaging.inbound", inbound.pk]]


@pytest.mark.django_db
def test_a_text_whose_handling_fails_leaves_no_screening_task_behind(monkeypatch):
    """The task is queued in the text's own transaction: it goes with the text on a rollback."""
    from messaging.services import inbound as inbound_service

    def fails(event, contact_id):
        raise RuntimeError("handler broke")

    monkeypatch.setattr(inbound_service, "_handle_inbound", fails)
    with pytest.raises(RuntimeError):
        inbound_service._store_and_handle("SM" + "2" * 32, PHONE, "+447400000001", "hello", None, False)
    assert not InboundMessage.objects.exists()
    assert _screening_tasks() == []
