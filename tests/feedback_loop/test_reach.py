"""The reach and equality dashboard: counts per dimension, small numbers, benchmarks and their
fallback, the under-represented flag, filters, constant queries, permissions, benchmark validation."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback_loop import services
from parentvoice.accounts import roles
from parentvoice.models import District
from surveys.models import ReachBenchmark, Response
from tests.factories import (
    BookingFactory,
    ContactFactory,
    MembershipFactory,
    PartnerFactory,
    ReachBenchmarkFactory,
)

pytestmark = pytest.mark.django_db

DAY = date(2026, 5, 10)


@pytest.fixture
def dover(db):
    return District.objects.create(name="Dover", slug="dover", ons_code="E07000108")


@pytest.fixture
def thanet(db):
    return District.objects.create(name="Thanet", slug="thanet", ons_code="E07000114")


@pytest.fixture
def page(make_consultation):
    return make_consultation()


@pytest.fixture
def respond(page):
    """respond(n, parent_role=..., ...): n complete responses with these fields, in one bulk insert."""

    def make(n, *, consultation=None, on=DAY, **fields):
        values = {"channel": "web", **fields}
        Response.objects.bulk_create(
            Response(
                consultation=consultation or page, completed_on=on, completed_at=timezone.now(), **values
            )
            for _ in range(n)
        )

    return make


def table(reach, section, dimension):
    found = next(s for s in reach.sections if s.key == section)
    return next(t for t in found.tables if t.dimension == dimension)


def row(table_, key):
    return next(r for r in table_.rows if r.key == key and not r.not_known)


def not_known(table_):
    return next(r for r in table_.rows if r.not_known)


def test_counts_and_shares_per_dimension(respond, dover, thanet):
    partner = PartnerFactory()
    respond(12, parent_role="mother", district=dover, ethnicity="white", disability="no", channel="web")
    respond(8, parent_role="father", district=thanet, ethnicity="asian", disability="yes", channel="sms")
    respond(10, parent_role="", channel="paper", partner=partner)
    respond(1, parent_role="mother", status="in_progress")  # not complete: never counted

    reach = services.reach_dashboard()

    roles_ = table(reach, "responses", "parent_role")
    assert (row(roles_, "mother").shown, row(roles_, "mother").share) == (12, 60.0)
    assert (row(roles_, "father").shown, row(roles_, "father").share) == (8, 40.0)
    assert row(roles_, "grandparent").shown == 0
    assert not_known(roles_).shown == 10
    assert roles_.answered == 20
    assert row(table(reach, "responses", "ethnicity"), "asian").shown == 8
    assert row(table(reach, "responses", "disability"), "yes").shown == 8
    assert row(table(reach, "responses", "district"), str(dover.pk)).label == "Dover"
    assert row(table(reach, "responses", "district"), str(thanet.pk)).shown == 8
    channels = table(reach, "responses", "channel")
    assert [(r.key, r.shown) for r in channels.rows] == [("web", 12), ("sms", 8), ("paper", 10)]
    partners = table(reach, "responses", "partner")
    assert (row(partners, str(partner.pk)).label, row(partners, str(partner.pk)).shown) == (partner.name, 10)
    assert not_known(partners).shown == 20


def test_a_small_count_is_hidden_with_the_one_that_would_give_it_away(respond):
    respond(3, parent_role="father")
    respond(20, parent_role="mother")
    respond(7, parent_role="")
    ReachBenchmarkFactory(value="father", share=45)

    roles_ = table(services.reach_dashboard(), "responses", "parent_role")

    father, mother = row(roles_, "father"), row(roles_, "mother")
    assert (father.shown, mother.shown) == ("fewer than 5", "not shown")
    assert father.share is mother.share is father.gap is None
    # A hidden count is never judged against its benchmark: that could give it away.
    assert not father.under_represented and father.too_few_to_tell
    assert father.flag == "Too few to tell"


def test_hidden_counts_are_not_on_the_page(respond, client, staff_login):
    respond(3, parent_role="father")
    respond(20, parent_role="mother")
    staff_login(roles.CONSULTATION_OFFICERS)

    html = client.get(reverse("feedback_reach")).content.decode()

    assert "fewer than 5" in html and "not shown" in html
    assert "<td>20</td>" not in html and "<td>3</td>" not in html and "87.0%" not in html


def test_district_view_uses_the_districts_benchmark_and_falls_back_to_the_county(respond, dover):
    ReachBenchmarkFactory(value="father", share=45)
    ReachBenchmarkFactory(value="mother", share=50)
    ReachBenchmarkFactory(value="father", share=40, district=dover, source="Dover census")

    county = table(services.reach_dashboard(), "responses", "parent_role")
    local = table(services.reach_dashboard(district=dover), "responses", "parent_role")

    assert row(county, "father").benchmark == 45
    assert (row(local, "father").benchmark, row(local, "father").benchmark_area) == (40, "Dover")
    assert (row(local, "mother").benchmark, row(local, "mother").benchmark_area) == (50, "County")


@pytest.mark.parametrize(("fathers", "flagged"), [(20, True), (40, False)])
def test_flag_when_share_is_below_the_benchmark_times_the_ratio(respond, settings, fathers, flagged):
    settings.REACH_UNDER_REPRESENTED_RATIO = 0.8
    ReachBenchmarkFactory(value="father", share=45)
    respond(fathers, parent_role="father")
    respond(100 - fathers, parent_role="mother")

    reach = services.reach_dashboard()
    father = row(table(reach, "responses", "parent_role"), "father")

    assert father.share == fathers
    assert father.gap == fathers - 45
    assert father.under_represented is flagged
    assert [r.key for _, _, r in reach.under_represented] == (["father"] if flagged else [])


def test_a_group_nobody_from_is_under_represented(respond):
    ReachBenchmarkFactory(value="father", share=45)
    respond(30, parent_role="mother")

    father = row(table(services.reach_dashboard(), "responses", "parent_role"), "father")

    assert (father.shown, father.share, father.under_represented) == (0, 0.0, True)


def test_a_person_counts_once_in_each_age_band_they_named(respond):
    respond(6, child_age_bands=["0-4", "5-10"])
    respond(5, child_age_bands=["0-4"])
    respond(5, child_age_bands=[])

    ages = table(services.reach_dashboard(), "responses", "child_age")

    assert row(ages, "0-4").shown == 11 and row(ages, "5-10").shown == 6
    assert row(ages, "0-4").share == 100.0 and ages.answered == 11
    assert not_known(ages).shown == 5
    assert "more than one age band" in ages.note


def test_filters_by_district_dates_and_consultation(respond, make_consultation, dover, thanet):
    other = make_consultation(title="Other", slug="other")
    respond(10, parent_role="mother", district=dover, on=date(2026, 4, 1))
    respond(6, parent_role="mother", district=thanet, on=date(2026, 6, 1))
    respond(7, parent_role="mother", district=dover, on=date(2026, 6, 1), consultation=other)

    def mothers(**filters):
        return row(table(services.reach_dashboard(**filters), "responses", "parent_role"), "mother").shown

    assert mothers() == 23
    assert mothers(district=dover) == 17
    assert mothers(district=dover.pk) == 17
    assert mothers(since=date(2026, 5, 1)) == 13
    assert mothers(until=date(2026, 5, 1)) == 10
    assert mothers(consultation_ids=[other.pk]) == 7
    assert [s.key for s in services.reach_dashboard(consultation_ids=[other.pk]).sections] == ["responses"]
    # A district's own view has no district table.
    assert "district" not in [
        t.dimension for t in services.reach_dashboard(district=dover).sections[0].tables
    ]


def test_members_and_meeting_attendance(make_forum, make_event, dover):
    forum = make_forum("Dover forum", district="Dover")
    other_forum = make_forum("Thanet forum", district="Thanet")
    for _ in range(6):
        contact = ContactFactory(parent_role="father", district=dover, child_age_bands=["5-10"])
        MembershipFactory(forum=forum, contact=contact)
        MembershipFactory(forum=other_forum, contact=contact)  # one person, two fora: counted once
    MembershipFactory.create_batch(5, forum=forum, contact__parent_role="mother")
    MembershipFactory(forum=forum, contact__parent_role="mother", left_at=timezone.now())  # left
    meeting = make_event(forum, "Meeting", days=-3)
    BookingFactory.create_batch(5, event=meeting, parent_role="father", adults=2)
    BookingFactory(event=meeting, parent_role="mother", adults=1, status="cancelled")
    cancelled = make_event(forum, "Cancelled", days=-2, cancelled=True, cancellation_notice="Sorry")
    BookingFactory.create_batch(5, event=cancelled, parent_role="mother")

    reach = services.reach_dashboard()

    members = table(reach, "members", "parent_role")
    assert (row(members, "father").shown, row(members, "mother").shown) == (6, 5)
    assert row(table(reach, "members", "child_age"), "5-10").shown == 6
    attendance = table(reach, "attendance", "parent_role")
    assert (row(attendance, "father").shown, row(attendance, "mother").shown) == (10, 0)
    assert row(table(reach, "attendance", "district"), str(dover.pk)).shown == 10
    later = services.reach_dashboard(since=timezone.localdate() - timedelta(days=1))
    assert row(table(later, "attendance", "parent_role"), "father").shown == 0


def _many(respond, make_forum, make_event, dover, n):
    partner = PartnerFactory()
    for role in ("mother", "father", "grandparent"):
        respond(
            n, parent_role=role, district=dover, partner=partner, child_age_bands=["0-4"], ethnicity="white"
        )
    forum = make_forum(f"Forum {n}", district="Dover")
    MembershipFactory.create_batch(n, forum=forum, contact__parent_role="mother", contact__district=dover)
    event = make_event(forum, f"Meeting {n}", days=-1)
    BookingFactory.create_batch(n, event=event, parent_role="father")


def test_a_constant_number_of_queries_as_the_data_grows(respond, make_forum, make_event, dover):
    ReachBenchmarkFactory(value="father", share=45)
    ReachBenchmarkFactory(value="father", share=40, district=dover)

    def queries(**filters):
        with CaptureQueriesContext(connection) as captured:
            services.reach_dashboard(**filters)
        return len(captured)

    _many(respond, make_forum, make_event, dover, 5)
    small = (queries(), queries(district=dover))
    _many(respond, make_forum, make_event, dover, 40)
    assert (queries(), queries(district=dover)) == small
    assert small[0] <= 6


@pytest.mark.parametrize(
    ("group", "status"),
    [
        (roles.CONSULTATION_OFFICERS, 200),
        (roles.DECISION_MAKERS, 200),
        (roles.FORUM_COORDINATORS, 302),
        (roles.ACTION_LEADS, 302),
        (roles.SAFEGUARDING_LEADS, 302),
    ],
)
def test_who_can_see_the_dashboard(client, staff_login, group, status):
    """Refused: the admin turns PermissionDenied into a redirect to its home page with a message."""
    staff_login(group)
    response = client.get(reverse("feedback_reach"))
    assert response.status_code == status
    if status == 302:
        assert response.url == "/admin/"


def test_the_page_lists_under_represented_groups_and_filters(client, staff_login, respond, dover):
    ReachBenchmarkFactory(value="father", share=45)
    respond(10, parent_role="father", district=dover)
    respond(40, parent_role="mother", district=dover)
    staff_login(roles.DECISION_MAKERS)

    html = client.get(reverse("feedback_reach")).content.decode()
    assert "Under-represented:" in html and "Father (parent role) in consultation responses: 20.0%" in html

    filtered = client.get(reverse("feedback_reach"), {"district": dover.pk, "since": "2026-05-01"})
    assert "Dover, from 1 May 2026" in filtered.content.decode()

    bad = client.get(reverse("feedback_reach"), {"since": "2026-06-01", "until": "2026-05-01"})
    assert bad.status_code == 200 and bad.context["reach"] is None
    assert "must be the same as or after" in bad.content.decode()

    assert client.get(reverse("feedback_reach"), {"district": "nonsense"}).context["reach"] is None


def test_benchmark_group_must_be_one_of_the_dimensions_answers(client, staff_login):
    staff_login(roles.CONSULTATION_OFFICERS)
    url = reverse("wagtailsnippets_surveys_reachbenchmark:add")
    data = {
        "district": "",
        "dimension": "parent_role",
        "value": "dad",
        "share": "45",
        "source": "Census 2021",
    }

    refused = client.post(url, data)

    assert refused.status_code == 200 and not ReachBenchmark.objects.exists()
    assert "father (Father)" in refused.content.decode()
    client.post(url, {**data, "value": "father"})
    assert ReachBenchmark.objects.get().value == "father"
    assert services.benchmark_value_problem("ethnicity", "father").startswith("Enter one of the groups")
    assert services.benchmark_value_problem("child_age", "0-4") is None


def test_coordinators_cannot_add_benchmarks(client, staff_login):
    staff_login(roles.FORUM_COORDINATORS)
    response = client.get(reverse("wagtailsnippets_surveys_reachbenchmark:add"))
    assert response.status_code in (302, 403)


def test_demo_flags_fathers(demo):
    reach = services.reach_dashboard()
    flagged = [(section.key, r.key) for section, _, r in reach.under_represented]
    assert ("responses", "father") in flagged
    dover = District.objects.get(name="Dover")
    father = row(table(services.reach_dashboard(district=dover), "responses", "parent_role"), "father")
    assert father.benchmark_area == "Dover" or father.too_few_to_tell
