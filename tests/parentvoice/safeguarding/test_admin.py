"""The queue, a case and flagging by hand in the admin: only leads see cases, every view is logged,
the list shows no disclosure, and the flag endpoint is safe."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.utils import timezone

from parentvoice.accounts.roles import (
    CONSULTATION_OFFICERS,
    DECISION_MAKERS,
    FORUM_COORDINATORS,
    SAFEGUARDING_LEADS,
)
from parentvoice.safeguarding import services, workflow
from parentvoice.safeguarding.choices import CaseOutcome, CaseStatus, FlaggedBy
from parentvoice.safeguarding.models import Case, CaseLogEntry

from .conftest import KIND

QUEUE = "/admin/safeguarding/"
FLAG = "/admin/safeguarding/flag/"
DISCLOSURE = "My dad <b>hits</b> me\n\n  when he is angry"
OTHERS = [CONSULTATION_OFFICERS, FORUM_COORDINATORS, DECISION_MAKERS]


def refused(response) -> bool:
    """PermissionDenied: Wagtail's admin turns it into a redirect to the dashboard with a message."""
    if response.status_code == 403:
        return True
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    return (
        response.status_code == 302
        and response["Location"] == "/admin/"
        and any("permission" in note for note in notes)
    )


def case_url(case):
    return f"/admin/safeguarding/cases/{case.pk}/"


POSTS = [
    {"do": "action", "kind": "contacted_parent", "note": "x"},
    {"do": "close", "outcome": "no_concern"},
    {"do": "reopen"},
]


@pytest.mark.parametrize("group", OTHERS)
def test_other_staff_get_403_everywhere(client, staff_login, make_case, group):
    staff_login(group=group)
    case = make_case(text=DISCLOSURE)
    assert refused(client.get(QUEUE))
    response = client.get(case_url(case))
    assert refused(response)
    assert b"hits" not in response.content
    for data in POSTS:
        assert refused(client.post(case_url(case), data))
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW and not case.actions.exists()
    assert not CaseLogEntry.objects.filter(action="safeguarding.case_viewed").exists()


def test_a_lead_without_change_case_cannot_post(client, staff_login, make_case):
    lead = staff_login(group=SAFEGUARDING_LEADS)
    case = make_case()
    # Permissions through a group: take change_case away by moving the user to a narrower set.
    lead.groups.clear()
    lead.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["wagtailadmin", "safeguarding"],
            codename__in=["access_admin", "view_case"],
        )
    )
    assert client.get(case_url(case)).status_code == 200
    for data in POSTS:
        assert refused(client.post(case_url(case), data))


def test_a_lead_sees_the_queue_without_the_text(client, staff_login, make_case):
    staff_login(group=SAFEGUARDING_LEADS)
    case = make_case(text=DISCLOSURE)
    response = client.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Case {case.pk}" in html and "Test answer: Support for parents" in html
    assert "hits me" in html  # the matched term
    assert "dad" not in html and "angry" not in html


def test_the_queue_puts_overdue_first_and_tags_it_in_words(client, staff_login, make_case):
    staff_login(group=SAFEGUARDING_LEADS)
    now = timezone.now()
    later = make_case(opened_at=now, due_at=now + timedelta(hours=3))
    soon = make_case(opened_at=now, due_at=now + timedelta(hours=1))
    late = make_case(opened_at=now - timedelta(days=3), due_at=now - timedelta(hours=1))
    closed = make_case()
    workflow.close_case(closed, CaseOutcome.REFERRED, None)
    html = client.get(QUEUE).content.decode()
    order = [html.index(f">Case {c.pk}<") for c in (late, soon, later)]
    assert order == sorted(order)
    assert f">Case {closed.pk}<" not in html
    assert html.count(">Overdue</span>") == 1
    overdue = client.get(QUEUE + "?show=overdue").content.decode()
    assert f">Case {late.pk}<" in overdue and f">Case {soon.pk}<" not in overdue
    closed_tab = client.get(QUEUE + "?show=closed").content.decode()
    assert f">Case {closed.pk}<" in closed_tab and f">Case {late.pk}<" not in closed_tab
    assert client.get(QUEUE + "?show=<script>").status_code == 200


def test_the_queue_query_count_does_not_grow(
    client, staff_login, make_case, make_user, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff_login(group=SAFEGUARDING_LEADS)
    officer = make_user(email="o@example.org", groups=[CONSULTATION_OFFICERS])
    make_case(flagged_by=FlaggedBy.HAND, flagged_by_user=officer)
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE)
    for _ in range(8):
        make_case(flagged_by=FlaggedBy.HAND, flagged_by_user=officer)
        make_case()
    with CaptureQueriesContext(connection) as many:
        client.get(QUEUE)
    assert len(many) == len(few)


def test_the_case_page_shows_the_text_escaped_and_logs_each_view(client, staff_login, make_case, source):
    lead = staff_login(group=SAFEGUARDING_LEADS)
    case = make_case(text=DISCLOSURE, source_id=1001)  # odd: the route holds a mobile
    for _ in range(2):
        response = client.get(case_url(case))
        assert response.status_code == 200
    html = response.content.decode()
    assert re.search(rf'id="header-title">.*?Case {case.pk} <span', html, re.S)
    assert "My dad &lt;b&gt;hits&lt;/b&gt; me\n\n  when he is angry" in html
    assert "+447700900123" in html and "/admin/test/1001/" in html
    entries = CaseLogEntry.objects.filter(action="safeguarding.case_viewed", case_id=case.pk)
    assert entries.count() == 2
    assert all(entry.user == lead for entry in entries)
    assert all("dad" not in f"{e.label}{e.data}" for e in entries)


def test_a_route_with_no_contact_details_says_so(client, staff_login, make_case, source):
    staff_login(group=SAFEGUARDING_LEADS)
    case = make_case(source_id=1002)
    assert "The route holds no contact details." in client.get(case_url(case)).content.decode()


def test_a_lead_records_closes_and_reopens(client, staff_login, make_case, source):
    staff_login(group=SAFEGUARDING_LEADS)
    case = make_case()
    response = client.post(case_url(case), {"do": "action", "kind": "referred", "note": "Rang MASH"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.REVIEWING
    response = client.post(case_url(case), {"do": "close", "note": "no outcome"})
    assert response.status_code == 400 and "Choose an outcome" in response.content.decode()
    assert client.post(case_url(case), {"do": "close", "outcome": "no_concern"}).status_code == 302
    case.refresh_from_db()
    assert case.released and case.status == CaseStatus.CLOSED
    # A second close (another tab) fails cleanly.
    response = client.post(case_url(case), {"do": "close", "outcome": "referred"}, follow=True)
    assert "already closed" in response.content.decode()
    assert client.post(case_url(case), {"do": "reopen"}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.REVIEWING and not case.released


def test_home_panel_counts_for_leads_only(client, staff_login, make_case, home_page):
    now = timezone.now()
    make_case(opened_at=now, due_at=now + timedelta(hours=1))
    make_case(opened_at=now - timedelta(days=3), due_at=now - timedelta(hours=1))
    staff_login(group=SAFEGUARDING_LEADS)
    html = client.get("/admin/").content.decode()
    assert "<strong>2</strong> cases open, <strong>1</strong> overdue." in html


def test_home_panel_hidden_from_officers(client, staff_login, make_case, home_page):
    make_case()
    staff_login(group=CONSULTATION_OFFICERS)
    assert "safeguarding-cases-heading" not in client.get("/admin/").content.decode()


# --- Flag by hand -----------------------------------------------------------------------------


@pytest.mark.parametrize("group", OTHERS)
def test_staff_who_read_text_can_flag_it(client, staff_login, source, group):
    user = staff_login(group=group)
    source[3] = "Something worrying"
    response = client.post(FLAG, {"kind": KIND, "source_id": 3, "reason": "Tone", "next": "/admin/pages/"})
    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    case = Case.objects.get(source_kind=KIND, source_id=3)
    assert case.flagged_by == FlaggedBy.HAND and case.flagged_by_user == user and case.flag_reason == "Tone"
    assert services.is_held(KIND, 3)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Flagged for a safeguarding lead. The text is held until they have reviewed it."
    ]


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""])
def test_flag_never_redirects_off_site(client, staff_login, source, next_url):
    staff_login(group=CONSULTATION_OFFICERS)
    source[3] = "Something worrying"
    response = client.post(FLAG, {"kind": KIND, "source_id": 3, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_flag_needs_add_case(client, staff_login, make_user, source):
    user = staff_login()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    source[3] = "Something worrying"
    assert refused(client.post(FLAG, {"kind": KIND, "source_id": 3}))
    assert not Case.objects.exists()


def test_flag_unknown_kind_or_id_is_404_and_get_is_not_allowed(client, staff_login, source):
    staff_login(group=CONSULTATION_OFFICERS)
    source[3] = "Something worrying"
    assert client.post(FLAG, {"kind": "nope.nothing", "source_id": 3}).status_code == 404
    assert client.post(FLAG, {"kind": KIND, "source_id": 999}).status_code == 404
    assert client.post(FLAG, {"kind": KIND, "source_id": "abc"}).status_code == 404
    assert client.get(FLAG).status_code == 405
    assert not Case.objects.exists()


def test_flag_refused_by_the_source_is_404_like_a_missing_text(client, staff_login, source):
    from parentvoice.safeguarding import registry

    staff_login(group=CONSULTATION_OFFICERS)
    source[3] = "Something worrying"
    original = registry._sources[KIND]
    registry.register_source(
        KIND, load=original.load, details=original.details, can_flag=lambda user, sid: False
    )
    assert client.post(FLAG, {"kind": KIND, "source_id": 3}).status_code == 404
    assert not Case.objects.exists()


def test_flag_button_only_for_staff_who_can_flag(rf, make_user):
    from django.template import Context, Template

    template = Template('{% load safeguarding_tags %}{% flag_button "test.text" 5 %}')
    request = rf.get("/admin/thing/?x=1")
    request.user = make_user(email="o@example.org", groups=[CONSULTATION_OFFICERS])
    html = template.render(Context({"request": request, "csrf_token": "tok"}))
    assert "Flag a safeguarding concern" in html
    assert 'name="next" value="/admin/thing/?x=1"' in html and 'value="tok"' in html
    request.user = make_user(email="nobody@example.org")
    assert "Flag a safeguarding concern" not in template.render(Context({"request": request}))


def test_leads_keep_the_term_list(client, staff_login, home_page):
    staff_login(group=SAFEGUARDING_LEADS)
    html = client.get("/admin/").content.decode()
    assert "Safeguarding" in html and QUEUE in html
    response = client.get("/admin/snippets/safeguarding/concernterm/")
    assert response.status_code == 200
    assert "self harm" in response.content.decode().lower() or "Concern terms" in response.content.decode()


def test_officers_do_not_see_the_term_list_or_the_menu(client, staff_login, home_page):
    staff_login(group=CONSULTATION_OFFICERS)
    assert QUEUE not in client.get("/admin/").content.decode()
    assert refused(client.get("/admin/snippets/safeguarding/concernterm/"))
