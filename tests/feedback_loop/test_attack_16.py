"""Attacks on issue 16's reporting (reach, reports, open data, action plan): each test failed before
its fix."""

from datetime import date

import pytest
from django.utils import timezone

from feedback_loop import services
from surveys.models import Response
from surveys.small_numbers import FEWER_THAN

pytestmark = pytest.mark.django_db

DAY = date(2026, 5, 10)


@pytest.fixture
def respond(make_consultation):
    page = make_consultation()

    def make(n, **fields):
        values = {"channel": "web", **fields}
        Response.objects.bulk_create(
            Response(consultation=page, completed_on=DAY, completed_at=timezone.now(), **values)
            for _ in range(n)
        )

    return make


def _section(reach, key):
    return next(s for s in reach.sections if s.key == key)


def _table(reach, section, dimension):
    return next(t for t in _section(reach, section).tables if t.dimension == dimension)


def _recoverable(section_total, table):
    """What someone reading the table can work out for a hidden row: the total shown for the section
    less every count shown in a table whose rows add up to it. Returns {row key: count} for each row
    that is the only one hidden."""
    hidden = [r for r in table.rows if r.hidden]
    if len(hidden) != 1:
        return {}
    shown = sum(r.shown for r in table.rows if not r.hidden)
    return {hidden[0].key: section_total - shown}


def test_a_small_not_known_count_cannot_be_worked_out_from_the_total(respond):
    respond(30, parent_role="mother", ethnicity="white")
    respond(10, parent_role="father", ethnicity="asian")
    respond(3, parent_role="", ethnicity="")  # did not say: 3, "fewer than 5"

    reach = services.reach_dashboard()
    total = _section(reach, "responses").total
    assert total == 43
    for dimension in ("parent_role", "ethnicity"):
        table = _table(reach, "responses", dimension)
        unknown = next(r for r in table.rows if r.not_known)
        assert unknown.shown == FEWER_THAN
        # Subtracting the shown counts from the total must not give the hidden 3 away...
        assert _recoverable(total, table) == {}
        # ...nor may the shares (of those who answered) give away how many answered: 43 - 40 = 3.
        for r in table.rows:
            if r.share is not None and r.count:
                assert round(r.count * 100 / r.share) != 40


def test_a_small_count_of_responses_not_through_a_partner_cannot_be_worked_out(respond):
    from tests.factories import PartnerFactory

    partner = PartnerFactory()
    respond(40, partner=partner)
    respond(2)  # not through a partner's link: "fewer than 5"

    reach = services.reach_dashboard()
    table = _table(reach, "responses", "partner")
    assert next(r for r in table.rows if r.not_known).shown == FEWER_THAN
    assert _recoverable(_section(reach, "responses").total, table) == {}


def test_a_period_ending_at_the_end_of_time_is_refused_not_a_server_error(client, staff_login):
    from django.urls import reverse

    from feedback_loop.models import Report
    from parentvoice.accounts import roles

    staff_login(roles.CONSULTATION_OFFICERS)
    response = client.post(
        reverse("feedback_report_create"),
        {"kind": "board", "period_start": "2026-01-01", "period_end": "9999-12-31"},
    )
    assert response.status_code == 200
    assert "The period must end" in response.text
    assert not Report.objects.exists()


def test_the_pdf_file_name_is_safe_whatever_the_theme_is_called(client, staff_login):
    from django.urls import reverse

    from feedback_loop.models import Theme
    from parentvoice.accounts import roles
    from tests.factories import ReportFactory

    theme = Theme.objects.create(name='Play "areas"\r\nX-Evil: 1', slug="play")
    report = ReportFactory(
        kind="theme", theme=theme, period_start=date(2026, 1, 1), period_end=date(2026, 3, 31)
    )
    report.status, report.pdf = "ready", b"%PDF-1.4 test"
    report.save()
    staff_login(roles.DECISION_MAKERS)

    response = client.get(reverse("feedback_report_pdf", args=[report.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="theme-report-play-areas-x-evil-1-2026-03-31.pdf"'
    )


def test_an_actions_published_text_loses_control_characters_and_direction_overrides(client, staff_login):
    from django.urls import reverse

    from feedback_loop.models import Action, Priority
    from parentvoice.accounts import roles
    from tests.factories import PriorityFactory

    staff_login(roles.CONSULTATION_OFFICERS)
    priority = PriorityFactory(number=1)

    response = client.post(
        reverse("wagtailsnippets_feedback_loop_action:add"),
        {
            "priority": priority.pk,
            "number": "1",
            "text": "Run\u202e parenting\x1b courses\r\nin every district",
            "lead_job_title": "Head\u2066 of Early Help",
            "partners": "",
            "starts_on": "",
            "due_on": "",
        },
    )
    assert response.status_code == 302, response.text[-3000:]
    action = Action.objects.get()
    assert action.text == "Run parenting courses\nin every district"
    assert action.lead_job_title == "Head of Early Help"

    response = client.post(
        reverse("wagtailsnippets_feedback_loop_priority:edit", args=[priority.pk]),
        {
            "number": "1",
            "title": "Reducing\u202e poverty",
            "lead_job_title": "",
            "outcomes": "",
            "indicators": "",
        },
    )
    assert response.status_code == 302
    assert Priority.objects.get().title == "Reducing poverty"


def _ready_report(made_at):
    from tests.factories import ReportFactory

    report = ReportFactory(kind="board", period_start=date(2026, 1, 1), period_end=date(2026, 3, 31))
    report.status, report.pdf, report.created_at = "ready", b"%PDF-1.4 Held words here.", made_at
    report.save()
    return report


def test_a_pdf_made_before_a_quote_was_held_is_not_served(client, staff_login):
    from datetime import timedelta

    from django.urls import reverse

    from parentvoice.accounts import roles
    from tests.factories import CaseFactory

    staff_login(roles.DECISION_MAKERS)
    now = timezone.now()
    earlier = _ready_report(now - timedelta(days=2))
    CaseFactory(source_kind="feedback_loop.quote", source_id=1, arrived_at=now - timedelta(days=3))
    assert client.get(reverse("feedback_report_pdf", args=[earlier.pk])).status_code == 200

    report = _ready_report(now - timedelta(days=1))
    CaseFactory(source_kind="feedback_loop.quote", source_id=2, arrived_at=now)  # held after it was made

    response = client.get(reverse("feedback_report_pdf", args=[report.pk]))

    assert response.status_code == 302 and response["Location"] == reverse(
        "feedback_report", args=[report.pk]
    )
    assert b"Held words" not in response.content
    # The one made before both holds... is now older than the second hold too: refused as well.
    assert client.get(reverse("feedback_report_pdf", args=[earlier.pk])).status_code == 302


def test_one_partners_small_count_cannot_be_worked_out_from_those_not_through_a_partner(respond):
    from tests.factories import PartnerFactory

    partner = PartnerFactory()
    respond(3, partner=partner)  # the only partner: "fewer than 5", and no other partner to hide
    respond(40)

    reach = services.reach_dashboard()
    table = _table(reach, "responses", "partner")
    assert next(r for r in table.rows if not r.not_known).shown == FEWER_THAN
    assert _recoverable(_section(reach, "responses").total, table) == {}
