"""matching_terms: capitals, accents, punctuation and invisible characters do not hide a term; a phrase
matches whole words only, a stem the start of a word."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parentvoice.safeguarding.services import matching_terms, normalise

BOUNDED = settings(max_examples=200, deadline=None)
PHRASE, STEM = "phrase", "stem"

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8)
separators = st.sampled_from([" ", "  ", "-", "_", ".", ", ", "\u200b", "\n", "\t", "/", "!", "\u00a0"])
fillers = st.lists(words, max_size=4).map(" ".join)


def noisy(phrase, draw):
    """The phrase with random capitals and its spaces replaced by punctuation or invisible breaks."""
    out = []
    for word in phrase.split(" "):
        word = "".join(ch.upper() if draw(st.booleans()) else ch for ch in word)
        out.append(word)
    return "".join(w + (draw(separators) if i < len(out) - 1 else "") for i, w in enumerate(out))


@BOUNDED
@given(
    data=st.data(),
    phrase=st.lists(words, min_size=1, max_size=3).map(" ".join),
    before=fillers,
    after=fillers,
)
def test_a_phrase_is_found_whatever_its_capitals_and_punctuation(data, phrase, before, after):
    text = f"{before} {noisy(phrase, data.draw)}{data.draw(separators)}{after}"
    assert matching_terms(text, [(phrase, PHRASE)]) == [phrase]


@BOUNDED
@given(phrase=words, prefix=words, suffix=words)
def test_a_phrase_inside_a_longer_word_does_not_match(phrase, prefix, suffix):
    # "hit" is not in "white" or "hitting": a phrase is whole words.
    for text in (f"{prefix}{phrase}", f"{phrase}{suffix}", f"{prefix}{phrase}{suffix}"):
        if text != phrase:  # one word of letters: only the whole word is the phrase
            assert matching_terms(text, [(phrase, PHRASE)]) == []


@BOUNDED
@given(stem=words, suffix=words, before=fillers)
def test_a_stem_matches_the_start_of_a_word(stem, suffix, before):
    assert matching_terms(f"{before} {stem.upper()}{suffix}", [(stem, STEM)]) == [stem]


@BOUNDED
@given(stem=words, prefix=words)
def test_a_stem_does_not_match_inside_a_word(stem, prefix):
    text = f"{prefix}{stem}"
    if not normalise(text).startswith(stem):
        assert matching_terms(text, [(stem, STEM)]) == []


@BOUNDED
@given(text=st.text(max_size=200))
def test_normalise_never_fails_and_is_stable(text):
    once = normalise(text)
    assert normalise(once) == once
    assert once == once.strip()
    assert "  " not in once


@pytest.mark.parametrize(
    ("text", "terms", "found"),
    [
        ("He HITS ME every day", [("hits me", PHRASE)], ["hits me"]),
        ("he hits-me", [("hits me", PHRASE)], ["hits me"]),
        ("he hits\u200bme", [("hits me", PHRASE)], ["hits me"]),  # zero-width space
        ("he hi\u200dts me", [("hits me", PHRASE)], ["hits me"]),  # zero-width joiner inside a word
        ("he hi\u00adts me", [("hits me", PHRASE)], ["hits me"]),  # soft hyphen
        ("\uff28\uff29\uff34\uff33 me", [("hits me", PHRASE)], ["hits me"]),  # full-width letters
        ("I feel súícidal", [("suicid", STEM)], ["suicid"]),  # accents
        ("my son was abused", [("abus", STEM)], ["abus"]),
        ("this is unabusive", [("abus", STEM)], []),
        ("the white wall", [("hit", PHRASE)], []),
        ("hitting", [("hit", PHRASE)], []),
        ("self-harm", [("self harm", PHRASE)], ["self harm"]),
        ("Self Harm", [("self-harm", PHRASE)], ["self-harm"]),
        ("nothing here", [("hits me", PHRASE), ("abus", STEM)], []),
        ("abuse and hits me", [("hits me", PHRASE), ("abus", STEM)], ["hits me", "abus"]),
        ("anything", [("", PHRASE), ("  ", STEM), ("--", PHRASE)], []),  # an empty term matches nothing
    ],
)
def test_examples(text, terms, found):
    assert matching_terms(text, terms) == found


# --- Attacks (issue #15 review) -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "he hits\rme",  # a bare carriage return between the words
        "he hits\r\nme",
        "he hits\x0bme",  # vertical tab
        "he hits\x0cme",  # form feed
        "he hits\x85me",  # next line (C1)
        "he hits\x1fme",  # unit separator
        "he hits\x00me",  # NUL
        "he hi\u200bts me",  # a zero-width space inside a word
        "he hi\ufeffts me",  # a byte order mark inside a word
        "he hits\u2028me",  # line separator
        "he \u04bbits me",  # Cyrillic shha 'һ' for h
        "he h\u0456ts me",  # Cyrillic 'і' for i
        "he hit\u0455 me",  # Cyrillic 'ѕ' for s
        "HE H\u0406TS M\u0415",  # Cyrillic capitals 'І' and 'Е'
        "he hits m\u0435",  # Cyrillic 'е' for e
        "he hits m\u03b5",  # Greek epsilon for e
    ],
)
def test_control_characters_and_look_alike_letters_do_not_hide_a_term(text):
    assert matching_terms(text, [("hits me", PHRASE)]) == ["hits me"]


def test_look_alike_letters_in_a_stem_and_in_the_term_itself():
    assert matching_terms("my son was \u0430bused", [("abus", STEM)]) == ["abus"]  # Cyrillic 'а'
    assert matching_terms("my son was abused", [("\u0430bus", STEM)]) == ["\u0430bus"]
    assert matching_terms("my d\u0430d h\u0456ts m\u0435", [("dad", PHRASE)]) == ["dad"]
