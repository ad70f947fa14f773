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
