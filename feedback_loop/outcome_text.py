"""The outcome text message: what parents said and what was decided, in at most two SMS segments as
sent (sender name and "Reply STOP" included), so a parent without data understands it from the
text alone. Pure functions, no I/O.

What gives way when it is too long, in order: the reason why, then what parents said, then the
link; the decision's own words are cut last, on a word where that keeps WORD_CUT_MIN characters."""

from collections.abc import Callable

from messaging.services import sms_body
from messaging.sms import gsm7_lookalikes, segment_info

from .choices import DecisionStatus

MAX_SEGMENTS = 2
ELLIPSIS = "…"
SAID_KEEP = 40  # characters of what parents said kept while the link is in
GSM7_ELLIPSIS = "..."  # "…" is not in GSM-7: one would turn the whole text into UCS-2

VERDICTS = {
    DecisionStatus.UNDER_CONSIDERATION: "We are considering",
    DecisionStatus.AGREED: "We agreed",
    DecisionStatus.PARTLY_AGREED: "We partly agreed",
    DecisionStatus.NOT_AGREED: "We did not agree",
    DecisionStatus.DONE: "Done",
}


def sms_text(text: str) -> str:
    """Text as it goes into a message: one line, GSM-7 look-alikes for typographic characters, and
    no "((" (the campaign would read "((name))" or "((link))" in someone's words as a placeholder)."""
    text = " ".join(gsm7_lookalikes(text or "").split())
    while "((" in text:
        text = text.replace("((", "( (")
    return text


def _sentence(text: str) -> str:
    return text if not text or text[-1] in ".!?" or text.endswith(ELLIPSIS) else text + "."


def _sendable(text: str) -> str | None:
    """`text`, or its GSM-7 spelling of "…", whichever fits two segments once sent (GSM-7 first:
    it has more room); None when neither does."""
    plain = text.replace(ELLIPSIS, GSM7_ELLIPSIS)
    plain_info = segment_info(sms_body(plain))
    if plain_info.encoding == "GSM-7" and plain_info.segments <= MAX_SEGMENTS:
        return plain
    for candidate in (text, plain):
        if segment_info(sms_body(candidate)).segments <= MAX_SEGMENTS:
            return candidate
    return None


# A cut on a word must keep at least this much; shorter, it cuts within the words instead, so a short
# first word before a very long one ("ab xxxx…") does not leave the message almost empty.
WORD_CUT_MIN = 20


def _cuts(text: str, *, keep: int) -> list[str]:
    """`text` and ever shorter versions of it, longest first: cut after a word while that keeps
    WORD_CUT_MIN characters or more, then character by character; none shorter than `keep`
    characters, and "" last when keep is 0 (the part may be left out)."""
    cuts = [text]
    for i in reversed([i for i, ch in enumerate(text) if ch == " "]):
        head = text[:i].rstrip(" ,;:-")
        if len(head) >= WORD_CUT_MIN:
            cuts.append(head + ELLIPSIS)
    shortest = len(cuts[-1]) - (len(ELLIPSIS) if len(cuts) > 1 else 0)
    for n in range(min(shortest, len(text)) - 1, 0, -1):
        head = text[:n].rstrip(" ,;:-")
        if head and head + ELLIPSIS != cuts[-1]:
            cuts.append(head + ELLIPSIS)
    keep = min(keep, len(text))
    cuts = [cut for cut in cuts if len(cut) >= keep]
    return cuts + [""] if keep == 0 else cuts


def _longest_fitting(text: str, build: Callable[[str], str], *, keep: int) -> str | None:
    """The longest cut of `text` for which build(cut) fits, found by halving (a longer cut never
    takes fewer segments, give or take the ellipsis)."""
    cuts = _cuts(text, keep=keep)
    low, high, found = 0, len(cuts) - 1, None
    while low <= high:
        middle = (low + high) // 2
        if _sendable(build(cuts[middle])) is not None:
            found, high = cuts[middle], middle - 1
        else:
            low = middle + 1
    return found


def _compose(said: str, verdict: str, decision: str, why: str, link: str) -> str:
    parts = [
        f"You said: {_sentence(said)}" if said else "",
        f"{verdict}: {_sentence(decision)}",
        f"Why: {_sentence(why)}" if why else "",
        f"Details: {link}" if link else "",
    ]
    return " ".join(part for part in parts if part)


def outcome_sms(*, said: str, status: str, decision: str, why: str = "", link: str = "") -> str:
    """The text message body (before `sms_body` adds the sender and STOP) telling someone what was
    decided. At most two segments as sent; always starts with the decision's own words."""
    said, decision, why = sms_text(said), sms_text(decision), sms_text(why)
    verdict = VERDICTS[DecisionStatus(status)]
    # With the link, what parents said keeps its first words at least (without it the decision reads
    # as if from nowhere); without the link it may go. The reason why gives way first.
    for with_link, said_keep in ((link, SAID_KEEP), ("", 0)) if link else (("", 0),):
        short_why = _longest_fitting(
            why, lambda w, lk=with_link: _compose(said[:SAID_KEEP], verdict, decision, w, lk), keep=0
        )
        short_said = _longest_fitting(
            said,
            lambda s, w=short_why or "", lk=with_link: _compose(s, verdict, decision, w, lk),
            keep=said_keep,
        )
        if short_said is not None:
            return _sendable(_compose(short_said, verdict, decision, short_why or "", with_link))
    # The decision alone is too long for two segments: its start, cut on a word.
    short = _longest_fitting(decision, lambda d: _compose("", verdict, d, "", ""), keep=1)
    if short is None:  # only a sender name near two segments long could leave no room at all
        raise ValueError("The sender name leaves no room for the decision in two text messages.")
    return _sendable(_compose("", verdict, short, "", ""))


def update_sms(*, date: str, text: str, link: str = "") -> str:
    """The text message body telling someone about a decision's progress update: "<date>: <update>.
    Details: <link>", at most two segments as sent. The link gives way before the update's first
    words; the update is cut on a word."""
    date, text = sms_text(date), sms_text(text)

    def compose(words: str, with_link: str) -> str:
        said = f"{date}: {_sentence(words)}" if words else f"{date}: an update."
        return f"{said} Details: {with_link}" if with_link else said

    for with_link, keep in ((link, SAID_KEEP), ("", 1)) if link else (("", 1),):
        short = _longest_fitting(text, lambda t, lk=with_link: compose(t, lk), keep=keep)
        if short is not None:
            return _sendable(compose(short, with_link))
    # Nothing of the update fits beside the date (an absurdly long sender name): the date alone.
    fallback = _sendable(compose("", ""))
    if fallback is None:
        raise ValueError("The sender name leaves no room for an update in two text messages.")
    return fallback
