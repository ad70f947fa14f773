"""The page editor's preview of a consultation that has not been saved yet (regression: it raised
NoReverseMatch, as the answering pages' addresses need the page's id, and the preview was an error page)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.demo import SUPPORT_QUESTIONS
from surveys.models import ConsultationIndexPage, ConsultationPage


@pytest.fixture
def index(home_page):
    index = ConsultationIndexPage(title="Have your say", slug="have-your-say")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


def _unsaved_consultation(index, *, closes_in_days=10, **fields):
    """A consultation as the page editor holds it before the first save, placed under `index` as
    Wagtail's "preview on create" view places it."""
    now = timezone.now()
    page = ConsultationPage(
        title="Parent forum meetings",
        slug="parent-forum-meetings",
        summary="Tell us about coming to parent forum meetings.",
        why_asking="<p>Because.</p>",
        what_happens_next="<p>We will report back.</p>",
        opens_at=now - timedelta(days=5),
        closes_at=now + timedelta(days=closes_in_days),
        ask_about_you=False,
        questions=SUPPORT_QUESTIONS,
        **fields,
    )
    page.depth = index.depth + 1
    page.path = page._get_path(index.path, page.depth, 1)
    page.set_url_path(index)
    return page


@pytest.mark.parametrize("closes_in_days", [10, -1], ids=["open", "closed"])
def test_a_new_consultation_previews_before_it_is_saved(index, closes_in_days):
    page = _unsaved_consultation(index, closes_in_days=closes_in_days)

    response = page.make_preview_request()

    assert response.status_code == 200
    content = response.content.decode()
    assert "Parent forum meetings" in content
    assert "Tell us about coming to parent forum meetings." in content
    assert not ConsultationPage.objects.exists()


def test_the_preview_shows_the_keyword_as_it_will_be_published(index):
    """The editor validates (cleans) the page before previewing it; the keyword typed in lower case
    is shown as saving stores it, in capitals (regression: the preview said 'Text forums to')."""
    page = _unsaved_consultation(index, sms_keyword=" forums ")
    page.full_clean(exclude=["path", "depth", "url_path"])

    content = page.make_preview_request().content.decode()

    assert "<strong>FORUMS</strong>" in content
