"""Safeguarding: screening free text, opening cases, and holding flagged text back from every use.

Other apps call three things:
- `screen_in_a_task(kind, source_id)` when a free text arrives (a task, queued in the transaction that
  saves the text, screens it against the active term list once it has committed and opens a case on a
  match), or `queue_screening(kind, texts)` for several, read against the terms at once and those
  matching queued in the transaction that saves them;
- `held_ids(kind)` (a subquery of source ids) or `is_held(kind, source_id)` wherever text is shown
  or exported, showing HELD_TEXT to staff instead;
- `flag_by_hand(kind, source_id, user, reason)` from an officer's "Flag a safeguarding concern" button.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from functools import lru_cache

from django.core.cache import cache, caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from .choices import CaseStatus, FlaggedBy, TermMatch
from .models import Case, ConcernTerm, HeldText
from .registry import SourceText, copies_of, get_source, kinds

logger = logging.getLogger(__name__)

HELD_TEXT = "Held for safeguarding review"

_NOT_WORD = re.compile(r"[^\w]+|_+")
# Invisible characters that may sit inside a word ('hi\u200bts') or between words ('hits\u200bme'):
# a text holding one is screened both ways.
_ZERO_WIDTH = "\u200b\ufeff"
# Letters from other scripts that look like Latin ones (after casefold), so 'hіts' with a Cyrillic
# 'і' still reads 'hits'. Only matching uses this; the text itself is kept as written.
_LOOK_ALIKES = str.maketrans(
    {
        **dict(zip("аеорсухіјѕԁһԛԝӏвнкмтɡ", "aeopcyxijsdhqwlbhkmtg", strict=True)),
        **dict(zip("αοικνρτυχεϲ", "aoikvptuxec", strict=True)),
    }
)


def _word_break(ch: str) -> str:
    """Control characters (a bare carriage return, a vertical tab, NUL) part words; other format
    characters (a soft hyphen, a zero-width joiner) vanish."""
    category = unicodedata.category(ch)
    if category == "Cc":
        return " "
    if category == "Cf":
        return ""
    return ch


def normalise(text: str) -> str:
    """Lower case, no accents, no invisible characters, look-alike letters read as Latin, words
    separated by single spaces: 'Self-HARM' and 'self\u200bharm' both read 'self harm'."""
    text = unicodedata.normalize("NFKC", text)
    for ch in _ZERO_WIDTH:
        text = text.replace(ch, " ")
    text = "".join(_word_break(ch) for ch in text)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_LOOK_ALIKES)
    return " ".join(_NOT_WORD.sub(" ", text).split())


def matching_terms(text: str, terms: Iterable[tuple[str, str]]) -> list[str]:
    """The terms (phrase, match) found in text, in the order given. A phrase matches whole words; a
    stem matches the start of a word ('abus' finds 'abused')."""
    haystack = f" {normalise(text)} "
    if any(ch in text for ch in _ZERO_WIDTH):  # also read with the invisible characters joining
        joined = text
        for ch in _ZERO_WIDTH:
            joined = joined.replace(ch, "")
        # One string to search: no needle holds a line break, so none can match across the two.
        haystack += f"\n {normalise(joined)} "
    return [phrase for phrase, needle in _needles(tuple(terms)) if needle in haystack]


@lru_cache(maxsize=16)
def _needles(terms: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """(phrase, what to look for) for each term: the terms normalised once for a list of terms, not
    again for every text screened against it."""
    needles = []
    for phrase, match in terms:
        term = normalise(phrase)
        if term:
            needles.append((phrase, f" {term} " if match == TermMatch.PHRASE else f" {term}"))
    return tuple(needles)


def active_terms() -> list[tuple[str, str]]:
    return list(ConcernTerm.objects.filter(active=True).values_list("phrase", "match"))


# The active terms kept in Django's cache for reading texts as they arrive (queue_screening), under a
# version that every change to a term replaces, before and again once it commits (SafeguardingConfig.ready):
# a submit that read the table before a new term committed writes its list under the old version, which
# nobody reads any more. Kept at most this long anyway, for a change made without a signal (a bulk
# update). The screening task itself always reads the table.
SCREENING_TERMS_KEY = "safeguarding:active-terms"
SCREENING_TERMS_VERSION_KEY = "safeguarding:active-terms-version"
SCREENING_TERMS_SECONDS = 300
# A list read from before a change can still be used if replacing the version fails as the change
# commits (the cache timing out) or the process stops in between: so the texts saved from a little
# before the change are read again against the table once any such list has expired.
SWEEP_FROM_SECONDS_BEFORE = 10
SWEEP_SECONDS_AFTER_EXPIRY = 60


def _terms_read_from_table() -> bool:
    """Under the database cache the table is read: a cache read would cost the same query, and the
    cache's writes would be part of the submit's transaction, so a list read before a new term
    committed would be stored when the submit commits, after the term's change."""
    return isinstance(caches["default"], BaseDatabaseCache)


def screening_terms() -> list[tuple[str, str]]:
    """The active terms, from the cache when it has them. A cache that cannot be reached (Redis down)
    must not fail the save that asked: the table is read instead."""
    if _terms_read_from_table():
        return active_terms()
    try:
        version = cache.get(SCREENING_TERMS_VERSION_KEY)
        if version is None:
            cache.add(SCREENING_TERMS_VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(SCREENING_TERMS_VERSION_KEY)
        return cache.get_or_set(f"{SCREENING_TERMS_KEY}:{version}", active_terms, SCREENING_TERMS_SECONDS)
    except Exception:
        logger.exception("Could not read the safeguarding terms from the cache")
        return active_terms()


def _new_terms_version() -> None:
    try:
        cache.set(SCREENING_TERMS_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.exception("Could not replace the safeguarding terms' version in the cache")


def forget_screening_terms(**kwargs) -> None:
    """A term changed: a new version of the cached list now and again once the change commits (a submit
    reading the table in between, before the commit, would otherwise be read from the cache
    afterwards), and, in the change's own transaction, a task that reads the texts saved meanwhile
    again once any list from before the change has expired (screen_saved_since)."""
    if _terms_read_from_table():
        return
    _new_terms_version()
    transaction.on_commit(_new_terms_version)
    _queue_sweep()


def _queue_sweep() -> None:
    """One sweep waiting at a time: many terms changed together (a bulk delete, a list seeded) push the
    waiting one back rather than queue one each; it still reads from its own, earlier, start."""
    from .tasks import screen_texts_saved_since

    now = timezone.now()
    run_after = now + timedelta(seconds=SCREENING_TERMS_SECONDS + SWEEP_SECONDS_AFTER_EXPIRY)
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another task backend: a sweep for each change, each harmless
        pass
    else:
        waiting = DBTaskResult.objects.filter(task_path=screen_texts_saved_since.module_path, status="READY")
        if waiting.update(run_after=run_after):
            return
    since = now - timedelta(seconds=SWEEP_FROM_SECONDS_BEFORE)
    screen_texts_saved_since.using(run_after=run_after).enqueue(since.isoformat())


def screen_saved_since(since: datetime, until: datetime | None = None) -> int:
    """Read the texts saved from `since` to `until` (by default now) by the kinds read against the
    cached terms (queue_screening) against the table, and screen those that match: any a list from
    before a term's change let through. Returns how many cases it opened."""
    until = until or timezone.now()
    terms = active_terms()
    opened = 0
    for kind in kinds():
        source = get_source(kind)
        if source is None or source.saved_since is None:
            continue
        for source_id, text in source.saved_since(since, until):
            if matching_terms(text, terms) and screen(kind, source_id) is not None:
                opened += 1
    return opened


def screen_in_a_task(kind: str, source_id: int) -> None:
    """Queue a task that screens this text against the terms as they are when it runs. It is queued in
    the current transaction: the task's row commits with the text (and goes with it on a rollback), so
    a process dying just after the commit cannot leave a text saved but never screened, and the text's
    commit carries the task's row rather than a second commit after it."""
    from .tasks import screen_text

    screen_text.enqueue(kind, int(source_id))


def queue_screening(kind: str, texts: Mapping[int, str]) -> None:
    """Queue these texts (source id -> text: one response's answers, say) for screening in one task,
    in the current transaction: the task's row commits with the texts (and goes with them on a
    rollback), so a process dying just after the commit cannot leave a text saved but never screened.

    Only a text matching an active term is queued: the task would find any other clean, so it is
    read against the terms here, and most submits queue nothing."""
    from .tasks import screen_texts

    texts = {int(source_id): text for source_id, text in texts.items() if text and text.strip()}
    if not texts:
        return
    terms = screening_terms()
    ids = [source_id for source_id, text in texts.items() if matching_terms(text, terms)]
    if ids:
        screen_texts.enqueue(kind, ids)


def screen(kind: str, source_id: int) -> Case | None:
    """Screen one text against the active terms; open a case if any match. Idempotent: a text with a
    case already is left alone."""
    if HeldText.objects.filter(source_kind=kind, source_id=source_id).exists():
        return None
    source = get_source(kind)
    loaded = source.load(source_id) if source else None
    if loaded is None or not loaded.text.strip():
        return None
    matched = matching_terms(loaded.text, active_terms())
    if not matched:
        return None
    return open_case(kind, source_id, loaded, flagged_by=FlaggedBy.SCREEN, matched_terms=matched)


def flag_by_hand(kind: str, source_id: int, user, reason: str = "") -> Case:
    """A member of staff flags a text they are reading. A text already released (closed with no
    concern) is reopened; one already held stays as it is."""
    source = get_source(kind)
    if source is None:
        raise ValueError(f"Unknown kind of text: {kind}")
    if not source.can_flag(user, source_id):
        raise PermissionError("You cannot read that text.")
    held = HeldText.objects.filter(source_kind=kind, source_id=source_id).select_related("case").first()
    existing = held.case if held else None
    if existing is not None:
        if existing.released:
            from .workflow import reopen

            reopen(existing, user, note=reason)
        return existing
    loaded = source.load(source_id)
    if loaded is None:
        raise ValueError("That text is no longer held.")
    return open_case(
        kind, source_id, loaded, flagged_by=FlaggedBy.HAND, flagged_by_user=user, flag_reason=reason
    )


def open_case(
    kind: str,
    source_id: int,
    loaded: SourceText,
    *,
    flagged_by: str,
    matched_terms: list[str] | None = None,
    flagged_by_user=None,
    flag_reason: str = "",
) -> Case:
    from .workflow import case_opened, review_due_at

    now = timezone.now()
    try:
        with transaction.atomic():
            case = Case.objects.create(
                source_kind=kind,
                source_id=source_id,
                source_label=loaded.label[:255],
                text=loaded.text,
                arrived_at=loaded.arrived_at,
                flagged_by=flagged_by,
                flagged_by_user=flagged_by_user,
                flag_reason=flag_reason,
                matched_terms=matched_terms or [],
                status=CaseStatus.NEW,
                opened_at=now,
                due_at=review_due_at(now),
            )
            HeldText.objects.create(case=case, source_kind=kind, source_id=source_id)
            for copy_kind, copy_id in copies_of(kind, source_id):
                HeldText.objects.get_or_create(
                    source_kind=copy_kind, source_id=copy_id, defaults={"case_id": case.pk}
                )
    except IntegrityError:  # screened twice at once: the other one opened it
        return HeldText.objects.select_related("case").get(source_kind=kind, source_id=source_id).case
    case_opened(case)
    return case


def held_ids(kind: str) -> QuerySet:
    """Source ids of this kind whose text is held (flagged and not released): use as a subquery."""
    return HeldText.objects.filter(source_kind=kind, case__released=False).values("source_id")


def open_case_ids(kind: str) -> QuerySet:
    """Source ids of this kind held by a case not yet closed, whether the case names the record or
    holds it as a copy (a text's words saved as an answer): a lead may still need the record and the
    contact details it names, so retention leaves it until the case is closed. Use as a subquery."""
    return (
        HeldText.objects.filter(source_kind=kind).exclude(case__status=CaseStatus.CLOSED).values("source_id")
    )


def is_held(kind: str, source_id: int) -> bool:
    return HeldText.objects.filter(source_kind=kind, source_id=source_id, case__released=False).exists()


def transfer_case(from_kind: str, from_id: int, to_kind: str, to_id: int) -> None:
    """The words of one record were copied to another (a text message's words saved as an answer):
    a case holding the first holds the copy too. The case still names the first, so the lead keeps
    what that route holds (the number that sent it) while it lives. The first is screened now if its
    own screening task has not run yet, so one disclosure never opens two cases."""
    screen(from_kind, from_id)
    held = HeldText.objects.filter(source_kind=from_kind, source_id=from_id).first()
    if held is not None:
        HeldText.objects.get_or_create(
            source_kind=to_kind, source_id=to_id, defaults={"case_id": held.case_id}
        )
