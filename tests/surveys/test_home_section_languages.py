"""The home page's "Have your say" panel lists each open consultation once, in the page's language
where it is published in it, else in English (docs/languages.md)."""

import pytest

from tests.factories import translate_page

pytestmark = pytest.mark.django_db


def _titles(client, path):
    html = client.get(path).content.decode()
    return [title for title in ("Support for parents", "Wsparcie dla rodziców", "Parks") if title in html]


def test_each_open_consultation_is_listed_once_in_the_home_pages_language(client, make_consultation):
    support = make_consultation()
    make_consultation(title="Parks", slug="parks")
    translate_page(support, "pl", title="Wsparcie dla rodziców")  # and the pages above it

    assert _titles(client, "/") == ["Support for parents", "Parks"]
    # Parks has no Polish translation: it is listed in English rather than left out.
    assert _titles(client, "/pl/") == ["Wsparcie dla rodziców", "Parks"]


def test_a_draft_translation_leaves_the_english_consultation_listed(client, make_consultation):
    support = make_consultation()
    translate_page(support, "pl", publish=False, title="Wsparcie dla rodziców")
    translate_page(support.get_parent().get_parent().specific, "pl")  # the Polish home page, published

    assert _titles(client, "/pl/") == ["Support for parents"]
