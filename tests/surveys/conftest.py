from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.demo import SUPPORT_QUESTIONS
from surveys.models import ConsultationIndexPage, ConsultationPage


@pytest.fixture
def make_consultation(home_page):
    """Publish an open consultation with every question type and show-if, no 'About you' questions;
    keyword arguments override its fields."""
    index = ConsultationIndexPage(title="Have your say", slug="have-your-say")
    home_page.add_child(instance=index)
    index.save_revision().publish()

    def make(**fields):
        now = timezone.now()
        values = {
            "title": "Support for parents",
            "slug": "support",
            "summary": "Tell us what helps.",
            "why_asking": "<p>Because.</p>",
            "what_happens_next": "<p>We will report back.</p>",
            "opens_at": now - timedelta(days=1),
            "closes_at": now + timedelta(days=10),
            "ask_about_you": False,
            "questions": SUPPORT_QUESTIONS,
        }
        page = ConsultationPage(**{**values, **fields})
        index.add_child(instance=page)
        page.save_revision().publish()
        return ConsultationPage.objects.get(pk=page.pk)

    return make


@pytest.fixture
def consultation(make_consultation):
    return make_consultation()


@pytest.fixture
def keyword_consultation(make_consultation):
    """The consultation with the keyword SUPPORT, for answering by text."""
    return make_consultation(sms_keyword="SUPPORT")
