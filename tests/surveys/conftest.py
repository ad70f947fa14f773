from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.demo import SUPPORT_QUESTIONS
from surveys.models import ConsultationIndexPage, ConsultationPage
from tests.conftest import restore_flushed_rows


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


@pytest.fixture
def make_document(settings, tmp_path):
    """A Wagtail document with real content, uploaded as the admin does, in `collection` (the root
    collection by default)."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    restore_flushed_rows()
    settings.MEDIA_ROOT = tmp_path

    def make(title="Full proposal", name="proposal.pdf", content=b"%PDF-1.4 a proposal", collection=None):
        fields = {"collection": collection} if collection else {}
        document = get_document_model()(title=title, file=ContentFile(content, name=name), **fields)
        document._set_document_file_metadata()  # as the admin's upload does: the size is stored
        document.save()
        return document

    return make


@pytest.fixture
def make_image(settings, tmp_path):
    """A small Wagtail image (a real PNG), for easy-read rows."""
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PillowImage
    from wagtail.images import get_image_model

    restore_flushed_rows()
    settings.MEDIA_ROOT = tmp_path

    def make(title="A family"):
        buffer = BytesIO()
        PillowImage.new("RGB", (40, 40), (29, 112, 184)).save(buffer, "PNG")
        return get_image_model().objects.create(title=title, file=ImageFile(buffer, name="family.png"))

    return make
