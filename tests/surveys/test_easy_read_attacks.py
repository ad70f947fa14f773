"""Attack review of easy read and documents (#18): an easy-read version goes with its consultation,
stays behind the consultation's restrictions, and shows an editor's HTML as text."""

import pytest
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import PageViewRestriction

from .test_easy_read import _easy_read

pytestmark = pytest.mark.django_db


def test_an_easy_read_version_goes_when_its_consultation_is_unpublished(client, make_consultation):
    page = make_consultation(slug="secret", title="Plans not yet announced")
    easy_read = _easy_read(page)
    assert client.get(easy_read.url).status_code == 200
    # Unpublished on its own: Wagtail leaves the easy-read page live, and would still serve it.
    UnpublishPageAction(page, include_descendants=False).execute(skip_permission_checks=True)
    easy_read.refresh_from_db()
    assert easy_read.live
    response = client.get("/have-your-say/secret/easy-read/")
    assert response.status_code == 404
    assert "Plans not yet announced" not in response.content.decode()


def test_the_easy_read_version_of_a_private_consultation_is_private_too(client, consultation):
    easy_read = _easy_read(consultation)
    PageViewRestriction.objects.create(page=consultation, restriction_type="password", password="x" * 20)
    response = client.get(easy_read.url)
    assert "We want to help parents." not in response.content.decode()
    assert 'name="password"' in response.content.decode()


def test_html_in_an_easy_read_row_or_picture_description_is_shown_as_text(client, consultation, make_image):
    body = [
        {"type": "heading", "value": "<i>Heading</i>"},
        {
            "type": "row",
            "value": {
                "image": make_image().pk,
                "image_description": '"><script>alert(1)</script>',
                "text": "<b>Bold?</b>",
            },
        },
    ]
    page = client.get(_easy_read(consultation, body=body).url).content.decode()
    # The one inline script is the page's own (allowed by its hash); what the editor typed is escaped.
    assert "<script>alert" not in page and "<b>" not in page and "<i>Heading" not in page
    assert 'alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page
