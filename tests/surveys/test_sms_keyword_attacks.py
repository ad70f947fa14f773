"""Attack review of keywords in every language (#18): a keyword is compared as it looks on a poster,
since that is what people text. A Cyrillic letter drawn like a Latin one must not make a second
COACH, or a STOP that is not STOP."""

import pytest

from surveys import services
from tests.factories import translate_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def coach(make_consultation):
    return make_consultation(sms_keyword="COACH")


def _problem(page, keyword):
    page.sms_keyword = keyword
    return services.sms_keyword_problem(page)


def test_a_keyword_in_cyrillic_letters_that_look_like_another_pages_latin_keyword_is_refused(coach):
    polish = translate_page(coach, "pl", publish=False)
    cyrillic_coach = "\u0421\u041e\u0410\u0421\u041d"  # СОАСН: every letter Cyrillic
    assert (
        _problem(polish, cyrillic_coach) == "'Support for parents' already uses COACH. Choose another word."
    )


def test_a_keyword_in_cyrillic_letters_that_look_like_stop_is_refused(coach):
    cyrillic_stop = "\u0405\u0422\u041e\u0420"  # ЅТОР: texted from the poster, it is STOP
    assert (
        _problem(coach, cyrillic_stop)
        == f"{cyrillic_stop} is used for other things by text message. Choose another word."
    )


@pytest.mark.parametrize("keyword", ["S\u0422OP", "ANKI\u0415TA", "\u0421OACH"])  # a Cyrillic Т, Е or С
def test_a_keyword_mixing_alphabets_is_refused(coach, keyword):
    problem = _problem(coach, keyword)
    assert problem == (
        "Use letters of one alphabet only: this word mixes letters that look alike but are not the same."
    )


def test_keywords_in_one_other_script_still_work(coach):
    nepali = translate_page(coach, "ne", publish=False)
    assert _problem(nepali, "सहयोग") is None
    assert _problem(nepali, "SAHAYOG") is None
    assert _problem(nepali, "१२३") == "Use one word of 2 to 20 letters or numbers, with no spaces."
    assert _problem(nepali, "ＣＯＡＣＨ").endswith("already uses COACH. Choose another word.")  # full width
