from datetime import timedelta

import pytest
from django.utils import timezone

from feedback_loop.models import Decision, FeedbackItem, Theme, YouSaidWeDidPage
from feedback_loop.services import EVIDENCE_SEPARATOR
from messaging import services as messaging
from messaging.choices import Channel, ConsentSource, Purpose
from messaging.models import Contact
from surveys import services as surveys
from surveys.choices import ResponseChannel
from tests.forums.conftest import fora_index, make_event, make_forum  # noqa: F401 - shared fixtures
from tests.surveys.conftest import make_consultation  # noqa: F401 - shared fixture


@pytest.fixture
def log_page(home_page):
    page = YouSaidWeDidPage(title="You said, we did", slug="you-said-we-did")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def progress_page(home_page):
    """The published 'How we are doing' page (the plan is public, and open data, only with it)."""
    from feedback_loop.models import ProgressPage

    page = ProgressPage(title="How we are doing", slug="how-we-are-doing")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def theme(db):
    return Theme.objects.create(name="Information for parents", slug="information")


@pytest.fixture
def closed_consultation(make_consultation):  # noqa: F811 - the imported fixture
    now = timezone.now()
    return make_consultation(
        opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=10), results_published=True
    )


def question(page, code):
    return next(q for q in surveys.schema_for(page) if q.code == code)


def evidence(page, code, *keys):
    return [f"{question(page, code).id}{EVIDENCE_SEPARATOR}{key}" for key in keys]


@pytest.fixture
def make_contact(db):
    def make(name, *, mobile=None, email=None, outcomes=True, preferred=Channel.SMS):
        contact = Contact.objects.create(name=name, mobile=mobile, email=email, preferred_channel=preferred)
        for channel in (Channel.SMS, Channel.EMAIL):
            if contact.address_for(channel) is None:
                continue
            purposes = [Purpose.CONSULTATIONS] + ([Purpose.OUTCOMES] if outcomes else [])
            for purpose in purposes:
                messaging.record_consent(
                    contact,
                    channel=channel,
                    purpose=purpose,
                    granted=True,
                    source=ConsentSource.WEB_FORM,
                    wording="Test consent",
                )
        return contact

    return make


@pytest.fixture
def answer():
    """Submit a complete response to a consultation: answer(page, first_place="school", ...)."""

    def submit(
        page, *, first_place="school", would_help=(), free_text="", contact=None, channel=ResponseChannel.WEB
    ):
        answers = {question(page, "first-place").id: first_place}
        if would_help:
            answers[question(page, "would-help").id] = {"keys": list(would_help), "other": ""}
        if free_text:
            answers[question(page, "forum").id] = "no"
            answers[question(page, "forum-barrier").id] = free_text
        return surveys.submit_response(
            page, answers, channel=channel, contact_id=contact.pk if contact else None
        )

    return submit


@pytest.fixture
def make_item(theme):
    def make(
        *, summary="Parents want texts about what is on.", publish=True, quotes=(), districts=(), **fields
    ):
        item = FeedbackItem(summary=summary, live=publish, **{"theme": theme, **fields})
        item.quotes = [item.quotes.model(text=text, approved=approved) for text, approved in quotes]
        if districts:
            item.districts = list(districts)
        item.full_clean()
        item.save()
        if publish:
            item.save_revision().publish()
        return FeedbackItem.objects.get(pk=item.pk)

    return make


@pytest.fixture
def make_decision(db):
    def make(items, *, status="agreed", publish=True, **fields):
        values = {
            "summary": "We will send a monthly text about what is on.",
            "deciding_body": "Children's Trust Board",
            "owner": "Head of Early Help",
            "decided_on": None
            if status == "under_consideration"
            else timezone.localdate() - timedelta(days=3),
            "reason": "No money this year." if status == "not_agreed" else "",
        }
        decision = Decision(status=status, live=publish, **{**values, **fields})
        decision.feedback_items = list(items)
        decision.full_clean(exclude=["feedback_items"])
        decision.save()
        if publish:
            decision.save_revision().publish()
        return Decision.objects.get(pk=decision.pk)

    return make


def decision_form(items, **fields):
    """The decision editor's POST: an agreed decision on `items`, published, with `fields` changed."""
    return {
        "feedback_items": [item.pk for item in items],
        "summary": "Schools will list what is on.",
        "status": "agreed",
        "reason": "",
        "deciding_body": "Children's Trust Board",
        "owner": "Head of Early Help",
        "decided_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "due_on": "",
        "updates-TOTAL_FORMS": 0,
        "updates-INITIAL_FORMS": 0,
        "updates-MIN_NUM_FORMS": 0,
        "updates-MAX_NUM_FORMS": 1000,
        "action-publish": "1",
        **fields,
    }
