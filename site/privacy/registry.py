"""What each app holds about a person, and how long it keeps things. Apps register in ready():

    register_personal_data("bookings", label="Event bookings", find=..., erase=..., models=[Booking])
    register_retention_rule("bookings", label="Bookings ...", period=..., apply=...)

Personal data: `find(subject)` returns JSON-ready rows (dicts) for a subject access download;
`erase(subject)` removes or anonymises them and returns how many records it changed. Erasers run in
`order` (lower first): anything that finds records through a contact must run before the contact
itself is removed (messaging's contacts run last). `models` lists the models whose personal fields
the entry covers; a test checks every model with a personal field is listed somewhere.

Retention: `apply(now, dry_run)` deletes or anonymises what is past its period and returns how many
records that is (on a dry run, how many it would be). `period()` describes the period in words for
the dry run and the docs, e.g. "8 weeks after the event".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Subject:
    """The person an officer is looking for: a normalised email address and/or a mobile in E.164."""

    email: str | None = None
    mobile: str | None = None

    @property
    def addresses(self) -> list[str]:
        return [a for a in (self.email, self.mobile) if a]


@dataclass(frozen=True)
class PersonalData:
    name: str
    label: str
    find: Callable[[Subject], list[dict]]
    erase: Callable[[Subject], int]
    order: int = 50
    models: Sequence[type] = field(default_factory=tuple)
    # False: shown to the officer, never put in the person's download (safeguarding cases).
    in_download: bool = True


@dataclass(frozen=True)
class RetentionRule:
    name: str
    label: str
    period: Callable[[], str]
    apply: Callable[[datetime, bool], int]


_personal_data: dict[str, PersonalData] = {}
_retention_rules: dict[str, RetentionRule] = {}


def register_personal_data(
    name: str,
    *,
    label: str,
    find: Callable[[Subject], list[dict]],
    erase: Callable[[Subject], int],
    order: int = 50,
    models: Sequence[type] = (),
    in_download: bool = True,
) -> None:
    _personal_data[name] = PersonalData(name, label, find, erase, order, tuple(models), in_download)


def personal_data() -> list[PersonalData]:
    return sorted(_personal_data.values(), key=lambda entry: (entry.order, entry.name))


def register_retention_rule(
    name: str, *, label: str, period: Callable[[], str], apply: Callable[[datetime, bool], int]
) -> None:
    _retention_rules[name] = RetentionRule(name, label, period, apply)


def retention_rules() -> list[RetentionRule]:
    return [_retention_rules[name] for name in sorted(_retention_rules)]
