"""GSM-7 aware length and segment counting for text messages (pure, no I/O)."""

from dataclasses import dataclass

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")


# Characters a segment holds: one text alone, or each part of a longer text (the rest of each part
# is the header that joins the parts up again on the phone).
GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


@dataclass(frozen=True)
class SegmentInfo:
    encoding: str  # "GSM-7" or "UCS-2"
    characters: int  # counted as the network counts them (GSM-7 extension characters count twice)
    segments: int
    non_gsm_characters: tuple[str, ...]


def encoding(text):
    """ "GSM-7" when every character is in the GSM 03.38 alphabet (or its extension), else "UCS-2"."""
    return "UCS-2" if any(ch not in GSM7_BASIC and ch not in GSM7_EXTENDED for ch in text) else "GSM-7"


def units(ch, text_encoding):
    """What one character costs: in UCS-2, its UTF-16 code units (an emoji or other character beyond
    U+FFFF is a surrogate pair, two); in GSM-7, two for an extension character (escape + character)."""
    if text_encoding == "UCS-2":
        return 2 if ord(ch) > 0xFFFF else 1
    return 2 if ch in GSM7_EXTENDED else 1


def split_segments(text):
    """The text as the network splits it: one segment up to 160 GSM-7 characters (70 UCS-2), else
    parts of at most 153 (67). A character is never split between two parts: a surrogate pair or an
    escape and its extension character go whole into the next part, so a long text can need one part
    more than its length divided by 153 (67) suggests."""
    text_encoding = encoding(text)
    single, part = (UCS2_SINGLE, UCS2_PART) if text_encoding == "UCS-2" else (GSM7_SINGLE, GSM7_PART)
    costs = [units(ch, text_encoding) for ch in text]
    if sum(costs) <= single:
        return [text]
    parts, start, used = [], 0, 0
    for index, cost in enumerate(costs):
        if used + cost > part:
            parts.append(text[start:index])
            start, used = index, 0
        used += cost
    parts.append(text[start:])
    return parts


def segment_info(text):
    text_encoding = encoding(text)
    non_gsm = ()
    if text_encoding == "UCS-2":
        non_gsm = tuple(sorted({ch for ch in text if ch not in GSM7_BASIC and ch not in GSM7_EXTENDED}))
    characters = sum(units(ch, text_encoding) for ch in text)
    return SegmentInfo(text_encoding, characters, len(split_segments(text)), non_gsm)


# Typographic characters that would turn a whole text into UCS-2 (70 characters a segment), with the
# GSM-7 characters that look the same.
GSM7_LOOKALIKES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2022": "-",
    }
)


def gsm7_lookalikes(text):
    """The text with curly quotes, dashes and ellipses replaced by plain ones, so a text written in a
    word processor still fits 160 characters a segment."""
    return text.translate(GSM7_LOOKALIKES)


# A reply to one inbound text may be several texts (a welcome, then the first question): a handler
# joins them with TEXT_BREAK and the webhook sends each as its own message. It is visible on purpose:
# the phone simulator and conversation transcripts show the reply as stored.
TEXT_BREAK = "\n---\n"


def split_texts(reply):
    """The separate texts in one handler's reply, in order."""
    return [part.strip() for part in (reply or "").split(TEXT_BREAK) if part.strip()]
