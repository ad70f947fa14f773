from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.demo import SUPPORT_QUESTIONS
from surveys.models import ConsultationIndexPage, ConsultationPage


@pytest.fixture
def consultation(home_page):
    """An open consultation with every question type, show-if and no 'About you' questions."""
    index = ConsultationIndexPage(title="Have your say", slug="have-your-say")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    now = timezone.now()
    page = ConsultationPage(
        title="Support for parents",
        slug="support",
        summary="Tell us what helps.",
        why_asking="<p>Because.</p>",
        what_happens_next="<p>We will report back.</p>",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
        ask_about_you=False,
        questions=SUPPORT_QUESTIONS,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return ConsultationPage.objects.get(pk=page.pk)


@pytest.fixture
def keyword_consultation(consultation):
    """The consultation with the keyword SUPPORT, for answering by text."""
    from surveys import services

    ConsultationPage.objects.filter(pk=consultation.pk).update(sms_keyword="SUPPORT")
    services._page_cache.clear()
    return ConsultationPage.objects.get(pk=consultation.pk)
