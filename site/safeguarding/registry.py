"""Where free text comes from. Each app registers its kinds of text in its AppConfig.ready():

    register_source("forums.enquiry", load=..., details=..., can_flag=...)

- `load(source_id)` returns the text, when it arrived and where it came from (a label with no personal
  data), or None when the record is gone. The screening task calls it, so no text rides in a task's
  arguments.
- `details(source_id)` returns what the route itself holds about the person (e.g. the enquiry's name
  and reply address; nothing for an anonymous web answer) and a link to read it in context. Only the
  case page calls it, for a safeguarding lead.
- `can_flag(user, source_id)` says whether this member of staff can read that text (and so flag it).
- `on_release(source_id)` (optional) does what was held back once a lead closes the case with no
  concern: e.g. a forum enquiry held before it was emailed is emailed to the coordinators then.
- `saved_since(since, until)` (for a kind read against the cached terms with `queue_screening`): the
  (id, text) of its texts saved in that time, which are read again after a term changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class SourceText:
    text: str
    arrived_at: datetime
    label: str


@dataclass(frozen=True)
class SourceDetails:
    label: str
    admin_url: str | None = None
    # (what, value) pairs, e.g. ("Mobile", "+447700900123"): only what the route itself holds.
    contact: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class TextSource:
    kind: str
    load: Callable[[int], SourceText | None]
    details: Callable[[int], SourceDetails | None]
    can_flag: Callable[[object, int], bool]
    on_release: Callable[[int], None] | None = None
    saved_since: Callable[[datetime, datetime], Iterable[tuple[int, str]]] | None = None


_sources: dict[str, TextSource] = {}
_copies: dict[str, list[Callable[[int], list[tuple[str, int]]]]] = {}


def register_source(
    kind: str,
    *,
    load: Callable[[int], SourceText | None],
    details: Callable[[int], SourceDetails | None],
    can_flag: Callable[[object, int], bool],
    on_release: Callable[[int], None] | None = None,
    saved_since: Callable[[datetime, datetime], Iterable[tuple[int, str]]] | None = None,
) -> None:
    _sources[kind] = TextSource(
        kind=kind,
        load=load,
        details=details,
        can_flag=can_flag,
        on_release=on_release,
        saved_since=saved_since,
    )


def get_source(kind: str) -> TextSource | None:
    return _sources.get(kind)


def kinds() -> list[str]:
    return sorted(_sources)


def register_copies(kind: str, find: Callable[[int], list[tuple[str, int]]]) -> None:
    """Another app knows where the words of a `kind` record were copied to (a text received saved as
    an answer): `find(source_id)` returns those records as (kind, id); a case opened on the record
    holds them too."""
    _copies.setdefault(kind, []).append(find)


def copies_of(kind: str, source_id: int) -> list[tuple[str, int]]:
    return [copy for find in _copies.get(kind, []) for copy in find(source_id)]
