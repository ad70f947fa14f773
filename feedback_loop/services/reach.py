"""Reach and equality: who took part (consultation responses, forum members, meeting attendance) by
parent role, children's ages, ethnic group, disability, district, channel and partner, against the
benchmarks officers enter (ReachBenchmark), with the gap and under-represented groups flagged.

Built for size: one query per source (responses: every marginal in one scan with GROUPING SETS;
members; meeting attendance, recorded or booked, in one UNION ALL) plus three small look-ups
(districts, partners, benchmarks), whatever the number of rows. Counts from 1 to 4 are hidden with secondary suppression
(`surveys.small_numbers`), and nothing shown (share, gap, flag) gives a hidden count away.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import connections
from django.db.models import Count, Exists, OuterRef, Q, Sum

from forums.choices import AttendanceGroup, BookingStatus, EventAudience, ForumKind
from forums.models import Attendance, Booking, Membership
from messaging.choices import ChildAgeBand, ParentRole
from parentvoice.models import District
from surveys.choices import Disability, Ethnicity, ReachDimension, ResponseChannel, ResponseStatus
from surveys.models import Partner, ReachBenchmark, Response
from surveys.small_numbers import hidden_in_line, is_small, label

__all__ = [
    "BENCHMARK_VALUES",
    "ReachDashboard",
    "ReachRow",
    "ReachSection",
    "ReachTable",
    "benchmark_value_problem",
    "reach_dashboard",
]

# The groups a benchmark can be entered for, per dimension: the stored keys of each question's choices.
BENCHMARK_VALUES = {
    ReachDimension.PARENT_ROLE: ParentRole,
    ReachDimension.CHILD_AGE: ChildAgeBand,
    ReachDimension.ETHNICITY: Ethnicity,
    ReachDimension.DISABILITY: Disability,
}

TOO_FEW = "Too few to tell"
UNDER_REPRESENTED = "Under-represented"
SHARES_OF_EVERYONE = "Shares are of everyone counted, as too few did not say to show how many did."


def benchmark_value_problem(dimension: str, value: str) -> str | None:
    """Why `value` is not a group of `dimension` (an error message listing the groups), or None."""
    choices = BENCHMARK_VALUES.get(dimension)
    if choices is None or value in choices.values:
        return None
    groups = "; ".join(f"{key} ({text})" for key, text in choices.choices)
    return f"Enter one of the groups for this dimension: {groups}."


@dataclass
class ReachRow:
    key: str
    label: str
    count: int  # the true count: never render it; render `shown`
    shown: int | str  # the count, "fewer than 5" or "not shown"
    hidden: bool
    share: float | None = None  # % of those who answered; None when hidden or for "Not known"
    benchmark: Decimal | None = None
    benchmark_area: str = ""
    benchmark_source: str = ""
    gap: float | None = None  # percentage points, share minus benchmark; None when hidden
    under_represented: bool = False
    too_few_to_tell: bool = False  # a benchmark exists but the count is hidden
    not_known: bool = False

    @property
    def flag(self) -> str:
        if self.under_represented:
            return UNDER_REPRESENTED
        return TOO_FEW if self.too_few_to_tell else ""


@dataclass
class ReachTable:
    dimension: str
    title: str
    rows: list[ReachRow]
    answered: int | str  # people who answered this question (shown form)
    note: str = ""
    has_benchmarks: bool = False


@dataclass
class ReachSection:
    key: str  # "responses", "members" or "attendance"
    title: str
    unit: str  # what a count counts: "responses", "members", "people at meetings"
    total: int | str  # shown form
    tables: list[ReachTable]
    note: str = ""


@dataclass
class ReachDashboard:
    district: District | None
    since: date | None
    until: date | None
    consultation_ids: list[int] | None
    sections: list[ReachSection]
    ratio: float
    under_represented: list[tuple[ReachSection, ReachTable, ReachRow]] = field(default_factory=list)


# --- Building tables from {key: count} -------------------------------------------------------------


def _benchmarks(district: District | None) -> dict:
    """{(dimension, value): benchmark} for the view: the district's own figure for a group where it has
    one, else the county's."""
    where = Q(district__isnull=True)
    if district is not None:
        where |= Q(district=district)
    rows = ReachBenchmark.objects.filter(where)
    chosen = {}
    for benchmark in rows.select_related("district"):
        key = (benchmark.dimension, benchmark.value)
        if benchmark.district_id is not None or key not in chosen:
            chosen[key] = benchmark
    return chosen


def _table(
    dimension: str,
    title: str,
    groups: list[tuple[str, str]],
    counts: Counter,
    *,
    answered: int,
    not_known: int | None,
    not_known_label: str = "Not known",
    benchmarks: dict,
    benchmark_dimension: str | None = None,
    ratio: float,
    note: str = "",
    total: int | None = None,
) -> ReachTable:
    """One dimension's table. `groups` are (key, label) in order; keys counted but not among them (old
    keys) follow with the key as label. Shares are of `answered` (those who answered the question), or
    of `total` (everyone counted) when the "not known" count is hidden."""
    known_keys = {key for key, _ in groups}
    groups = groups + [(key, key) for key in sorted(counts) if key not in known_keys and key != ""]
    line = [counts.get(key, 0) for key, _ in groups]
    hidden = hidden_in_line(line)  # the total of those who answered can be worked out from the shares
    # The "not known" row and the groups add up to the section's total, which is shown: exactly one
    # hidden among them could be worked out by subtraction (a small "not known" count with every group
    # shown; the one partner's small count beside those not through a partner). Then another is hidden.
    unknown_hidden = not_known is not None and is_small(not_known)
    if not_known is not None and len(hidden) + unknown_hidden == 1:
        whole = hidden_in_line([*line, not_known])
        hidden |= {index for index in whole if index < len(line)}
        unknown_hidden = len(line) in whole
    # With "not known" hidden, shares of those who answered would give away how many answered, so the
    # total less them: shares are then of everyone counted.
    base = answered
    if unknown_hidden and total is not None:
        base = total
        note = " ".join(filter(None, [note, SHARES_OF_EVERYONE]))
    rows = []
    for index, ((key, text), count) in enumerate(zip(groups, line, strict=True)):
        is_hidden = index in hidden
        row = ReachRow(key=key, label=text, count=count, shown=label(count, is_hidden), hidden=is_hidden)
        benchmark = benchmarks.get((benchmark_dimension, key)) if benchmark_dimension else None
        if benchmark is not None:
            row.benchmark = benchmark.share
            row.benchmark_area = benchmark.district.name if benchmark.district_id else "County"
            row.benchmark_source = benchmark.source
        if is_hidden:
            row.too_few_to_tell = benchmark is not None
        elif base:
            row.share = round(100 * count / base, 1)
            if benchmark is not None:
                row.gap = round(row.share - float(benchmark.share), 1)
                row.under_represented = row.share < float(benchmark.share) * ratio
        rows.append(row)
    if not_known is not None:
        rows.append(
            ReachRow(
                key="",
                label=not_known_label,
                count=not_known,
                shown=label(not_known, unknown_hidden),
                hidden=unknown_hidden,
                not_known=True,
            )
        )
    return ReachTable(
        dimension=dimension,
        title=title,
        rows=rows,
        answered=label(answered, is_small(answered) or base != answered),
        note=note,
        has_benchmarks=any(row.benchmark is not None for row in rows),
    )


# --- The three sources -----------------------------------------------------------------------------


# The response columns the dashboard counts by, and the name each marginal goes by.
RESPONSE_COLUMNS = [
    ("district", "district_id"),
    ("channel", "channel"),
    ("role", "parent_role"),
    ("ethnicity", "ethnicity"),
    ("disability", "disability"),
    ("partner", "partner_id"),
    ("bands", "child_age_bands"),
]


def _response_marginals(district, since, until, consultation_ids) -> dict[str, Counter]:
    """{dimension: Counter({value: responses})} in ONE query: every marginal at once. On PostgreSQL
    one scan with GROUPING SETS; elsewhere (SQLite, development) a UNION ALL of one GROUP BY each.
    Grouping by every column together would return about one row per response on real data."""
    responses = Response.objects.filter(status=ResponseStatus.COMPLETE)
    if district is not None:
        responses = responses.filter(district=district)
    if since:
        responses = responses.filter(completed_on__gte=since)
    if until:
        responses = responses.filter(completed_on__lte=until)
    if consultation_ids is not None:
        responses = responses.filter(consultation_id__in=consultation_ids)
    columns = [column for _, column in RESPONSE_COLUMNS]
    inner, params = responses.order_by().values(*columns).query.sql_with_params()
    connection = connections[responses.db]
    width = len(columns)
    # Only our own column names and Django's compiled query go into the text; values are parameters.
    if connection.vendor == "postgresql":
        listed = ", ".join(columns)
        sets = ", ".join(f"({column})" for column in columns)
        sql = f"SELECT GROUPING({listed}), {listed}, COUNT(*) FROM ({inner}) AS r GROUP BY GROUPING SETS ({sets})"  # noqa: S608
    else:
        parts = []
        for index, column in enumerate(columns):
            picked = ", ".join(column if other == index else "NULL" for other in range(width))
            parts.append(
                f"SELECT {(1 << width) - 1 - (1 << (width - 1 - index))}, {picked}, COUNT(*) "  # noqa: S608
                f"FROM ({inner}) AS r GROUP BY {column}"
            )
        sql, params = " UNION ALL ".join(parts), tuple(params) * width
    marginals = {name: Counter() for name, _ in RESPONSE_COLUMNS}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for grouping, *values, n in cursor.fetchall():
            # GROUPING() has a 0 bit for the one column this row is grouped by (leftmost = highest bit).
            index = next(i for i in range(width) if not grouping & (1 << (width - 1 - i)))
            name, value = RESPONSE_COLUMNS[index][0], values[index]
            if name == "bands":
                value = tuple(json.loads(value) if isinstance(value, str) else (value or []))
            marginals[name][value if value is not None else ""] += n
    return marginals


def _responses_section(marginals, *, district, districts, benchmarks, ratio) -> ReachSection:
    by = marginals
    total = sum(by["channel"].values())
    bands = Counter()
    named_a_band = 0
    for age_bands, n in by["bands"].items():
        named = set(age_bands)  # a person counts once in each band they named
        for band in named:
            bands[band] += n
        if named:
            named_a_band += n
    partners = dict(Partner.objects.filter(pk__in=[k for k in by["partner"] if k]).values_list("pk", "name"))
    tables = _person_tables(by["role"], bands, named_a_band, total, benchmarks=benchmarks, ratio=ratio)
    tables += [
        _dimension_table(
            "ethnicity", "Ethnic group", Ethnicity.choices, by["ethnicity"], total, benchmarks, ratio
        ),
        _dimension_table(
            "disability", "Disability", Disability.choices, by["disability"], total, benchmarks, ratio
        ),
    ]
    if district is None:
        tables.append(_district_table(by["district"], total, districts, benchmarks, ratio))
    tables.append(
        _table(
            "channel",
            "How they answered",
            list(ResponseChannel.choices),
            by["channel"],
            answered=total,
            not_known=None,
            benchmarks=benchmarks,
            ratio=ratio,
        )
    )
    partner_groups = sorted(((str(pk), name) for pk, name in partners.items()), key=lambda group: group[1])
    partner_counts = Counter({str(k): n for k, n in by["partner"].items() if k})
    tables.append(
        _table(
            "partner",
            "Partner whose link they followed",
            partner_groups,
            partner_counts,
            answered=total,
            not_known=by["partner"][""],
            not_known_label="Not through a partner's link",
            benchmarks=benchmarks,
            ratio=ratio,
            note="Shares are of all responses.",
        )
    )
    return ReachSection(
        "responses", "Consultation responses", "responses", label(total, is_small(total)), tables
    )


def _person_tables(roles, bands, named_a_band, total, *, benchmarks, ratio):
    return [
        _dimension_table("parent_role", "Parent role", ParentRole.choices, roles, total, benchmarks, ratio),
        _table(
            "child_age",
            "Children's ages",
            list(ChildAgeBand.choices),
            bands,
            answered=named_a_band,
            not_known=total - named_a_band,
            total=total,
            benchmarks=benchmarks,
            benchmark_dimension=ReachDimension.CHILD_AGE,
            ratio=ratio,
            note=(
                "Someone with children in more than one age band counts once in each band they named, "
                "so the shares add up to more than 100%."
            ),
        ),
    ]


def _dimension_table(dimension, title, choices, counts, total, benchmarks, ratio):
    """A question with one answer per person: "" is not known (not asked, skipped, prefer not to say)."""
    not_known = counts.get("", 0)
    return _table(
        dimension,
        title,
        list(choices),
        counts,
        answered=total - not_known,
        not_known=not_known,
        total=total,
        benchmarks=benchmarks,
        benchmark_dimension=dimension,
        ratio=ratio,
    )


def _district_table(counts, total, districts, benchmarks, ratio):
    groups = [(str(pk), name) for pk, name in districts]
    keyed = Counter({str(k): n for k, n in counts.items() if k})
    not_known = counts.get("", 0)
    return _table(
        "district",
        "District",
        groups,
        keyed,
        answered=total - not_known,
        not_known=not_known,
        total=total,
        benchmarks=benchmarks,
        ratio=ratio,
    )


def _members_section(district, until, *, districts, benchmarks, ratio) -> ReachSection:
    """Forum members on the last day of the period (today when it has no end), each person once
    however many fora they belong to, by what their contact record says."""
    # These figures are about parents: a practitioners' forum's members are staff.
    members = Membership.objects.exclude(forum__kind=ForumKind.PRACTITIONERS)
    if until:
        members = members.filter(joined_at__date__lte=until).filter(
            Q(left_at__isnull=True) | Q(left_at__date__gt=until)
        )
    else:
        members = members.filter(left_at__isnull=True)
    if district is not None:
        members = members.filter(contact__district=district)
    rows = (
        members.order_by()
        .values_list("contact__district_id", "contact__parent_role", "contact__child_age_bands")
        .annotate(n=Count("contact_id", distinct=True))
    )
    roles, bands, by_district = Counter(), Counter(), Counter()
    named_a_band = total = 0
    for district_id, role, age_bands, n in rows:
        total += n
        roles[role or ""] += n
        by_district[district_id or ""] += n
        named = set(age_bands or [])
        for band in named:
            bands[band] += n
        if named:
            named_a_band += n
    tables = _person_tables(roles, bands, named_a_band, total, benchmarks=benchmarks, ratio=ratio)
    if district is None:
        tables.append(_district_table(by_district, total, districts, benchmarks, ratio))
    return ReachSection(
        "members",
        "Forum members",
        "members",
        label(total, is_small(total)),
        tables,
        note="Members on the last day of the period (today if it has no end), each person once.",
    )


def _attendance_section(district, since, until, *, districts, benchmarks, ratio) -> ReachSection:
    """People at meetings held in the period and not cancelled, by role and the forum's district: the
    attendance recorded in a meeting's write-up (counts by group) where there is one, else the adults
    on its confirmed bookings by the role the booker gave. Practitioners are left out (this is about
    parents); "role not known" counts as not known. One query for both sources (UNION ALL)."""
    # About parents: a practitioners' forum's meetings and events for practitioners only stay out.
    for_staff = Q(event__forum__kind=ForumKind.PRACTITIONERS) | Q(event__audience=EventAudience.PRACTITIONERS)
    bookings = Booking.objects.filter(status=BookingStatus.CONFIRMED, event__cancelled=False).exclude(
        for_staff
    )
    counted = Attendance.objects.filter(event__cancelled=False).exclude(for_staff)
    if since:
        bookings = bookings.filter(event__start__date__gte=since)
        counted = counted.filter(event__start__date__gte=since)
    if until:
        bookings = bookings.filter(event__start__date__lte=until)
        counted = counted.filter(event__start__date__lte=until)
    if district is not None:
        bookings = bookings.filter(event__district=district)
        counted = counted.filter(event__district=district)
    # A meeting with recorded attendance is counted from it alone, never from its bookings as well.
    bookings = bookings.exclude(Exists(Attendance.objects.filter(event=OuterRef("event"))))
    counted = counted.exclude(group=AttendanceGroup.PRACTITIONER)
    rows = (
        bookings.order_by()
        .values_list("event__district_id", "parent_role")
        .annotate(n=Sum("adults"))
        .union(
            counted.order_by().values_list("event__district_id", "group").annotate(n=Sum("count")),
            all=True,
        )
    )
    roles, by_district = Counter(), Counter()
    total = 0
    for district_id, role, n in rows:
        n = n or 0
        total += n
        roles["" if role in ("", None, AttendanceGroup.NOT_KNOWN) else role] += n
        by_district[district_id or ""] += n
    tables = [
        _dimension_table("parent_role", "Parent role", ParentRole.choices, roles, total, benchmarks, ratio)
    ]
    if district is None:
        tables.append(_district_table(by_district, total, districts, benchmarks, ratio))
    return ReachSection(
        "attendance",
        "Meeting and event attendance",
        "people at meetings",
        label(total, is_small(total)),
        tables,
        note=(
            "Forum meetings and events outside the fora: attendance recorded in a meeting's write-up "
            "(counts by group, practitioners left out); "
            "for a meeting with none recorded, adults on confirmed bookings, by the parent role the "
            "person booking gave."
        ),
    )


def reach_dashboard(
    *,
    district: District | int | None = None,
    since: date | None = None,
    until: date | None = None,
    consultation_ids: list[int] | None = None,
) -> ReachDashboard:
    """Who took part, against the benchmarks. With `consultation_ids`, only those consultations'
    responses are counted and the forum sections are left out (they belong to no consultation).
    A constant number of queries (6 at most), however many responses, members and bookings there are."""
    if isinstance(district, int):
        district = District.objects.get(pk=district)
    ratio = float(settings.REACH_UNDER_REPRESENTED_RATIO)
    consultation_ids = list(consultation_ids) if consultation_ids is not None else None
    benchmarks = _benchmarks(district)
    districts = list(District.objects.order_by("name").values_list("pk", "name"))
    common = {"districts": districts, "benchmarks": benchmarks, "ratio": ratio}
    sections = [
        _responses_section(
            _response_marginals(district, since, until, consultation_ids), district=district, **common
        )
    ]
    if consultation_ids is None:
        sections.append(_members_section(district, until, **common))
        sections.append(_attendance_section(district, since, until, **common))
    dashboard = ReachDashboard(
        district=district,
        since=since,
        until=until,
        consultation_ids=consultation_ids,
        sections=sections,
        ratio=ratio,
    )
    dashboard.under_represented = [
        (section, table, row)
        for section in sections
        for table in section.tables
        for row in table.rows
        if row.under_represented
    ]
    return dashboard
