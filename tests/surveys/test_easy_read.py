"""A consultation's easy-read version: linked from the intro only when it is live and public (in a
translation, its own or else the source's), its rows and picture descriptions, the way back and the
button to answer, the admin's "add child page", and a picture without a description refused."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.blocks import StructBlockValidationError
from wagtail.models import PageViewRestriction

from parentvoice.accounts.roles import CONSULTATION_OFFICERS
from surveys.blocks import EasyReadRowBlock
from surveys.models import ConsultationPage, EasyReadPage
from tests.factories import translate_page

pytestmark = pytest.mark.django_db

BODY = [
    {"type": "heading", "value": "What is this about?"},
    {"type": "row", "value": {"image": None, "image_description": "", "text": "We want to help parents."}},
]


def _easy_read(consultation, *, live=True, body=None, title="Easy read: support for parents"):
    page = EasyReadPage(title=title, slug="easy-read", body=body or BODY, live=live)
    consultation.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    return EasyReadPage.objects.get(pk=page.pk)


def _intro(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


# --- The link on the intro ---------------------------------------------------------------------


def test_the_intro_links_the_easy_read_version_only_once_it_is_published(client, consultation):
    easy_read = _easy_read(consultation, live=False)

    assert "Read an easy-read version" not in _intro(client, consultation)

    easy_read.save_revision().publish()

    content = _intro(client, consultation)
    assert f'href="{easy_read.url}">Read an easy-read version</a>' in content


def test_an_unpublished_easy_read_version_is_not_linked(client, consultation):
    easy_read = _easy_read(consultation)
    easy_read.unpublish()

    assert "Read an easy-read version" not in _intro(client, consultation)


def test_a_private_easy_read_version_is_not_linked(client, consultation):
    easy_read = _easy_read(consultation)
    PageViewRestriction.objects.create(page=easy_read, restriction_type="password", password="secret-words")

    assert "Read an easy-read version" not in _intro(client, consultation)


def test_the_intro_finds_the_easy_read_version_in_one_query(client, consultation):
    _intro(client, consultation)  # the site and locale caches filled
    with CaptureQueriesContext(connection) as without:
        _intro(client, consultation)
    _easy_read(consultation)
    with CaptureQueriesContext(connection) as with_one:
        content = _intro(client, consultation)

    assert "Read an easy-read version" in content
    assert len(with_one) == len(without)
    assert sum("surveys_easyreadpage" in query["sql"] for query in with_one.captured_queries) == 1


def test_a_translation_links_its_own_easy_read_version(client, consultation):
    _easy_read(consultation)
    polish = translate_page(consultation, "pl", title="Wsparcie dla rodziców")
    polish_easy_read = translate_page(EasyReadPage.objects.get(), "pl", title="Tekst łatwy do czytania")

    content = _intro(client, polish)

    assert f'href="{polish_easy_read.url}">Przeczytaj wersję łatwą do czytania</a>' in content
    assert polish_easy_read.url.startswith("/pl/")


def test_a_translation_without_one_links_the_source_s_and_says_its_language(client, consultation):
    easy_read = _easy_read(consultation)
    polish = translate_page(consultation, "pl", title="Wsparcie dla rodziców")

    content = _intro(client, polish)

    assert f'href="{easy_read.url}" hreflang="en-gb"' in content
    assert '<span lang="en-gb">(English)</span>' in content


def test_a_translation_links_nothing_when_the_source_has_no_easy_read_version(client, consultation):
    polish = translate_page(consultation, "pl", title="Wsparcie dla rodziców")

    assert "app-easy-read-link" not in _intro(client, polish)


# --- The easy-read page ------------------------------------------------------------------------


def test_the_easy_read_page_shows_its_rows_with_picture_descriptions(client, consultation, make_image):
    image = make_image()
    easy_read = _easy_read(
        consultation,
        body=[
            {"type": "heading", "value": "What is this about?"},
            {
                "type": "row",
                "value": {
                    "image": image.pk,
                    "image_description": "Two adults and a child holding hands",
                    "text": "We want to help parents.\nTell us what helps you.",
                },
            },
        ],
    )

    response = client.get(easy_read.url)

    content = response.content.decode()
    assert response.status_code == 200
    assert '<h2 class="govuk-heading-l">What is this about?</h2>' in content
    assert 'alt="Two adults and a child holding hands"' in content
    assert "We want to help parents.<br>Tell us what helps you." in content
    assert 'class="govuk-breadcrumbs"' in content
    assert f'<a class="govuk-link" href="{consultation.url}">Read the full version</a>' in content


def test_an_open_consultation_s_easy_read_page_has_a_have_your_say_button(client, consultation):
    easy_read = _easy_read(consultation)

    content = client.get(easy_read.url).content.decode()

    assert f'href="/consultations/{consultation.pk}/start/"' in content
    assert "govuk-button--start" in content
    assert "You can answer until" in content


def test_a_closed_consultation_s_easy_read_page_has_no_button(client, make_consultation):
    now = timezone.now()
    closed = make_consultation(opens_at=now - timedelta(days=20), closes_at=now - timedelta(days=1))
    easy_read = _easy_read(closed)

    content = client.get(easy_read.url).content.decode()

    assert "govuk-button--start" not in content
    assert "This consultation has closed." in content
    assert f'href="{closed.url}"' in content


def test_a_translated_easy_read_page_starts_the_translated_consultation(client, consultation):
    _easy_read(consultation)
    polish = translate_page(consultation, "pl", title="Wsparcie dla rodziców")
    polish_easy_read = translate_page(EasyReadPage.objects.get(locale__language_code="en-gb"), "pl")

    content = client.get(polish_easy_read.url).content.decode()

    assert f'href="/consultations/{polish.pk}/start/"' in content
    assert f'href="{polish.url}"' in content
    assert "Przeczytaj pełną wersję" in content  # the service's own words in Polish


# --- Editing -----------------------------------------------------------------------------------


def test_an_officer_adds_the_easy_read_version_as_a_child_page(client, consultation, staff_login):
    staff_login(CONSULTATION_OFFICERS)
    add_url = f"/admin/pages/add/surveys/easyreadpage/{consultation.pk}/"

    form = client.get(add_url)

    assert form.status_code == 200
    assert "short sentences of ten words or fewer" in form.content.decode()
    response = client.post(
        add_url,
        {
            "title": "Easy read: support for parents",
            "slug": "easy-read",
            "body-count": "1",
            "body-0-type": "row",
            "body-0-deleted": "",
            "body-0-order": "0",
            "body-0-id": "row-1",
            "body-0-value-image": "",
            "body-0-value-image_description": "",
            "body-0-value-text": "We want to help parents.",
            "action-publish": "Publish",
        },
    )
    assert response.status_code == 302
    easy_read = EasyReadPage.objects.get()
    assert easy_read.live
    assert easy_read.get_parent().pk == consultation.pk


def test_a_consultation_has_at_most_one_easy_read_version(consultation):
    _easy_read(consultation)

    assert not EasyReadPage.can_create_at(ConsultationPage.objects.get(pk=consultation.pk))


def test_a_picture_without_a_description_is_refused(make_image):
    block = EasyReadRowBlock()
    value = block.to_python({"image": make_image().pk, "image_description": "  ", "text": "We want to help."})

    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(value)

    assert "image_description" in refused.value.block_errors


def test_a_row_with_words_only_needs_no_description():
    block = EasyReadRowBlock()
    value = block.to_python({"image": None, "image_description": "", "text": "We want to help."})

    assert block.clean(value)["text"] == "We want to help."


# --- The demo ----------------------------------------------------------------------------------


def test_the_demo_adds_an_easy_read_version_with_pictures_once(client, consultation, settings, tmp_path):
    from wagtail.images import get_image_model

    from surveys.demo_easy_read import load_easy_read_demo

    settings.MEDIA_ROOT = tmp_path
    said = []
    load_easy_read_demo(consultation, said.append)
    load_easy_read_demo(ConsultationPage.objects.get(pk=consultation.pk), said.append)

    easy_read = EasyReadPage.objects.child_of(consultation).get()
    rows = [block.value for block in easy_read.body if block.block_type == "row"]
    assert 6 <= len(rows) <= 8
    assert all(row["image"] and row["image_description"].strip() for row in rows)
    assert all(row["image"].description == row["image_description"] for row in rows)
    assert get_image_model().objects.count() == len(rows)
    assert sorted(path.name for path in (tmp_path / "original_images").iterdir()) == sorted(
        f"demo-easy-read-{row['image'].title.split(': ')[1]}.png" for row in rows
    )
    assert len(said) == 1  # the second run found everything in place
    content = client.get(easy_read.url).content.decode()
    assert f'alt="{rows[0]["image_description"]}"' in content
    intro = client.get(consultation.url).content.decode()
    assert "Read an easy-read version" in intro
    minutes = re.search(r"It takes about (\d+) minutes", intro).group(1)
    assert f"It takes about {minutes} minutes." in content  # the two versions agree
    assert "Full proposal</a>" in intro
    assert '<abbr title="TXT file">TXT</abbr>' in intro
