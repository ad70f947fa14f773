"""GSM-7 aware length and segment counting for text messages (pure, no I/O)."""

from dataclasses import dataclass

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SegmentInfo:
    encoding: str  # "GSM-7" or "UCS-2"
    characters: int  # counted as the network counts them (GSM-7 extension characters count twice)
    segments: int
    non_gsm_characters: tuple[str, ...]


def segment_info(text):
    non_gsm = tuple(sorted({ch for ch in text if ch not in GSM7_BASIC and ch not in GSM7_EXTENDED}))
    if non_gsm:
        # UCS-2 counts UTF-16 code units: an emoji is two.
        units = len(text.encode("utf-16-le")) // 2
        segments = 1 if units <= 70 else -(-units // 67)
        return SegmentInfo("UCS-2", units, segments, non_gsm)
    units = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
    segments = 1 if units <= 160 else -(-units // 153)
    return SegmentInfo("GSM-7", units, segments, ())


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
