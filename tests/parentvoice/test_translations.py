"""The service's own words in another language (issue #18): a page in Polish reads in Polish around its
Polish questions, Urdu is laid out right to left, and every translation in the catalogs is filled in
and keeps the placeholders its English has."""

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polib
import pytest
from django.conf import settings
from django.utils import translation

from parentvoice.dates import govuk_datetime, govuk_datetime_range, govuk_time

LOCALE = Path(settings.BASE_DIR) / "site" / "locale"
OUR_LANGUAGES = ("pl", "ne", "ur")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%\{\w+\}")
LONDON = ZoneInfo("Europe/London")


def _catalog(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def _translations(entry):
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


@pytest.mark.parametrize("language", OUR_LANGUAGES)
def test_every_entry_in_the_catalog_is_translated(language):
    catalog = _catalog(language)
    assert len(catalog) > 100
    missing = [entry.msgid for entry in catalog if not all(text.strip() for text in _translations(entry))]
    assert missing == []
    assert catalog.fuzzy_entries() == []
    plural_forms = int(re.search(r"nplurals=(\d)", catalog.metadata["Plural-Forms"]).group(1))
    wrong = [e.msgid for e in catalog if e.msgid_plural and len(e.msgstr_plural) != plural_forms]
    assert wrong == []


@pytest.mark.parametrize("language", OUR_LANGUAGES)
def test_every_translation_keeps_the_placeholders_of_its_english(language):
    problems = []
    for entry in _catalog(language):
        wanted = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural))
        for text in _translations(entry):
            got = set(PLACEHOLDER.findall(text))
            # A plural's "one" form may say the number in words; it must not invent a placeholder.
            if got - wanted or (not entry.msgid_plural and got != wanted):
                problems.append((entry.msgid, text))
    assert problems == []


@pytest.mark.parametrize("language", OUR_LANGUAGES)
def test_translations_keep_their_links_and_markup(language):
    for entry in _catalog(language):
        for text in _translations(entry):
            assert text.count("<") == entry.msgid.count("<"), entry.msgid
            assert re.findall(r'href="[^"]*"', text) == re.findall(r'href="[^"]*"', entry.msgid), entry.msgid


# --- Dates -----------------------------------------------------------------------------------


def test_dates_follow_the_active_language():
    evening = datetime(2026, 12, 29, 19, 0, tzinfo=LONDON)
    later = datetime(2026, 12, 29, 21, 30, tzinfo=LONDON)
    assert govuk_datetime(evening) == "7pm on Tuesday 29 December 2026"
    with translation.override("pl"):
        assert govuk_datetime(evening) == "wtorek 29 grudnia 2026, 19:00"
        assert govuk_datetime_range(evening, later) == "wtorek 29 grudnia 2026, 19:00 – 21:30"
        assert govuk_time(datetime(2026, 12, 29, 0, 0, tzinfo=LONDON)) == "północ"
    with translation.override("ur"):
        assert govuk_datetime(evening) == "منگل 29 دسمبر 2026، 19:00"
    assert govuk_datetime(evening) == "7pm on Tuesday 29 December 2026"
