"""Counting text message segments as the network does: GSM-7 (160 a text, 153 a part) and UCS-2 for
any other script (70 a text, 67 a part), never splitting one character between two parts."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from messaging.sms import (
    GSM7_BASIC,
    GSM7_EXTENDED,
    segment_info,
    split_segments,
)

GSM_BASIC = "".join(sorted(GSM7_BASIC))
GSM_EXTENDED = "".join(sorted(GSM7_EXTENDED))
NEPALI = "तपाईंको बच्चाको विद्यालय"
URDU = "آپ کے بچے کا اسکول"
EMOJI = "👋🙂🚌"  # beyond U+FFFF: each is a surrogate pair in UTF-16

gsm_texts = st.text(alphabet=GSM_BASIC + GSM_EXTENDED, max_size=700)
# Any script, astral characters included; surrogates themselves cannot be in a Python str of text.
any_texts = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=400)
ucs2_texts = st.builds(
    lambda before, odd, after: before + odd + after,
    any_texts,
    st.sampled_from(["ł", "ń", "क", "ک", "👋", "“"]),
    any_texts,
)


def utf16_units(text):
    return len(text.encode("utf-16-le")) // 2


def gsm_units(text):
    return sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)


@pytest.mark.parametrize(
    ("text", "encoding", "characters", "segments"),
    [
        (NEPALI, "UCS-2", len(NEPALI), 1),
        ("क" * 70, "UCS-2", 70, 1),
        ("क" * 71, "UCS-2", 71, 2),
        ("ک" * 134, "UCS-2", 134, 2),
        ("ک" * 135, "UCS-2", 135, 3),
        ("👋" * 35, "UCS-2", 70, 1),  # 35 emoji are 70 UTF-16 units: still one text
        ("👋" * 36, "UCS-2", 72, 2),
        # 67 units a part, and a pair is never split: 33 emoji a part, so 67 emoji take 3, not 2
        ("👋" * 67, "UCS-2", 134, 3),
        ("a" * 152 + "€" + "a" * 10, "GSM-7", 164, 2),
        # The escape would be the 153rd character: the € goes whole into the next part
        ("a" * 152 + "€" + "a" * 152, "GSM-7", 306, 3),
        ("Zażółć gęślą jaźń", "UCS-2", 17, 1),  # Polish letters are not in GSM-7
    ],
)
def test_examples(text, encoding, characters, segments):
    info = segment_info(text)
    assert (info.encoding, info.characters, info.segments) == (encoding, characters, segments)


@settings(max_examples=300)
@given(any_texts)
def test_the_parts_make_up_the_text_and_their_number_is_the_count(text):
    parts = split_segments(text)
    assert "".join(parts) == text
    assert len(parts) == segment_info(text).segments
    assert all(parts) or parts == [""]


@settings(max_examples=300)
@given(ucs2_texts)
def test_ucs2_counts_utf16_units_70_alone_67_a_part(text):
    info = segment_info(text)
    assert info.encoding == "UCS-2"
    assert info.characters == utf16_units(text)  # an astral character counts two
    parts = split_segments(text)
    if info.characters <= 70:
        assert parts == [text]
    else:
        assert len(parts) >= 2
        assert all(utf16_units(part) <= 67 for part in parts)
        # Greedy: a part ends only when the next whole character would not fit.
        for part, following in zip(parts, parts[1:], strict=False):
            assert utf16_units(part + following[0]) > 67
        # Never fewer parts than the units need, and at most one more than that per 33 (pairs kept whole)
        assert len(parts) >= -(-info.characters // 67)


@settings(max_examples=300)
@given(ucs2_texts)
def test_ucs2_never_splits_a_surrogate_pair(text):
    for part in split_segments(text):
        encoded = part.encode("utf-16-le")
        # A part that began or ended in the middle of a pair would not decode on its own.
        assert encoded.decode("utf-16-le") == part
        first_unit = int.from_bytes(encoded[:2], "little") if encoded else 0
        last_unit = int.from_bytes(encoded[-2:], "little") if encoded else 0
        assert not 0xDC00 <= first_unit <= 0xDFFF  # no low surrogate at the start
        assert not 0xD800 <= last_unit <= 0xDBFF  # no high surrogate at the end


@settings(max_examples=300)
@given(gsm_texts)
def test_gsm7_counts_extension_characters_twice(text):
    info = segment_info(text)
    assert info.encoding == "GSM-7" and info.non_gsm_characters == ()
    assert info.characters == gsm_units(text)
    parts = split_segments(text)
    if info.characters <= 160:
        assert parts == [text]
    else:
        assert all(gsm_units(part) <= 153 for part in parts)
        for part, following in zip(parts, parts[1:], strict=False):
            assert gsm_units(part + following[0]) > 153


@settings(max_examples=200)
@given(gsm_texts, st.sampled_from(["ł", "क", "ک", "👋"]))
def test_one_character_outside_gsm7_turns_the_whole_text_into_ucs2(text, odd):
    info = segment_info(text + odd)
    assert info.encoding == "UCS-2" and odd in info.non_gsm_characters
    assert info.segments >= segment_info(text).segments


@settings(max_examples=200)
@given(any_texts, any_texts)
def test_a_longer_text_in_the_same_encoding_never_takes_fewer_segments(text, more):
    if segment_info(text).encoding == segment_info(text + more).encoding:
        assert segment_info(text + more).segments >= segment_info(text).segments
