import csv
import io
import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from messaging.models import Campaign, Contact, Message
from parentvoice.accounts import roles
from parentvoice.models import District
from surveys import exports, results, services
from surveys.models import Response
from surveys.small_numbers import NOT_SHOWN

pytestmark = pytest.mark.django_db


def _q(page, code):
    return next(q for q in services.schema_for(page) if q.code == code)


def _respond(page, n, *, channel="web", district=None, **by_code):
    """n identical complete responses; by_code maps question code -> stored answer value."""
    answers = {_q(page, code).id: value for code, value in by_code.items()}
    for _ in range(n):
        services.submit_response(page, answers, channel=channel, default_district=district)


@pytest.fixture
def answered(consultation):
    _respond(
        consultation,
        6,
        **{
            "forum": "yes",
            "ease": "4",
            "would-help": {"keys": ["talk", "other"], "other": "=SUM(A1)"},
            "children": 2,
        },
    )
    _respond(
        consultation,
        3,
        channel="sms",
        **{
            "forum": "no",
            "ease": "2",
            "would-help": {"keys": ["talk"], "other": ""},
            "forum-barrier": "Too far away",
            "children": 4,
        },
    )
    return consultation


def test_counts_percentages_and_means_are_right(answered):
    by_code = {r.question.code: r for r in results.question_results(answered)}
    forum = by_code["forum"]
    assert forum.answered == 9
    assert [(c.key, c.count, c.percent) for c in forum.choices] == [("yes", 6, 66.7), ("no", 3, 33.3)]
    helped = by_code["would-help"]
    assert helped.answered == 9  # people, not ticks
    counts = {c.key: c.count for c in helped.choices}
    assert counts["talk"] == 9 and counts["other"] == 6 and counts["money"] == 0
    assert by_code["ease"].mean == pytest.approx(3.3, abs=0.05)
    assert (by_code["children"].minimum, by_code["children"].maximum) == (2, 4)
    assert by_code["forum-barrier"].text_answers == 3
    assert results.response_counts(answered)["total"] == 9


def test_results_take_a_fixed_number_of_queries(answered, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):  # the first read counts the waiting responses in
        results.question_results(answered)
    with django_assert_max_num_queries(5):
        results.question_results(answered)


def test_breakdowns_hide_small_cells_and_the_totals_that_would_reveal_them(answered):
    table = results.breakdown(answered, _q(answered, "forum"), "channel")
    assert table["groups"] == ["Text message", "Web"]
    rows = {row["label"]: row for row in table["rows"]}
    # Yes: 0 by text, 6 on the web; No: 3 by text. The answers' totals (6 and 3) are on the chart and
    # the channels' totals are known, so any one cell left shown would give the 3 away.
    assert rows["Yes"]["cells"] == [NOT_SHOWN, NOT_SHOWN]
    assert rows["No"]["cells"] == [results.FEWER_THAN, NOT_SHOWN]
    assert rows["No"]["total"] is None
    assert table["totals"] == [None, None]


def test_a_breakdown_hides_a_second_cell_in_the_row_and_column_of_a_small_one(consultation):
    _respond(consultation, 3, channel="sms", forum="yes")
    _respond(consultation, 7, channel="sms", forum="no")
    _respond(consultation, 6, channel="web", forum="yes")
    _respond(consultation, 9, channel="web", forum="no")
    table = results.breakdown(consultation, _q(consultation, "forum"), "channel")
    rows = {row["label"]: row["cells"] for row in table["rows"]}
    # Before, Yes by text showed as "fewer than 5" beside 6, under the chart's 9 saying Yes: 9 - 6 = 3.
    assert rows["Yes"] == [results.FEWER_THAN, NOT_SHOWN]
    assert rows["No"] == [NOT_SHOWN, NOT_SHOWN]


def test_over_time_and_reach(answered, demo):
    dover = District.objects.get(name="Dover")
    _respond(answered, 2, district=dover, forum="yes")
    contact = Contact.objects.create(name="Pat", mobile="+447400123456", district=dover)
    campaign = Campaign.objects.create(
        name="Invite",
        kind="reminder",
        purpose="consultations",
        link_personaliser=f"consultation:{answered.pk}",
    )
    Message.objects.create(
        campaign=campaign,
        contact=contact,
        channel="sms",
        recipient="+447400123456",
        body="x",
        idempotency_key="r1",
    )
    assert sum(n for _, n in results.responses_over_time(answered)) == 11
    dover_row = next(r for r in results.reach(answered) if r["district"] == "Dover")
    assert dover_row == {"district": "Dover", "invited": 1, "responses": 2, "rate": 200.0}


def test_public_results_show_no_free_text_and_no_small_numbers(client, answered):
    answered.results_published = True
    answered.results_summary = "<p>Thank you.</p>"
    answered.save_revision().publish()
    html = client.get(answered.url + "results/").content.decode()
    assert "Too far away" not in html and "=SUM" not in html
    assert "fewer than 5" in html  # 3 people said no
    # 9 people answered, so showing the 6 who said yes would give the 3 away (9 - 6).
    assert re.search(r">Yes</th><td [^>]*>not shown</td>", html)
    assert "6 (66.7%)" in html  # 6 of 9 ticked 'other' in a question where nothing is small
    assert 'class="pv-bars"' in html and "govuk-table" in html  # HTML bars that reflow on a phone
    assert "How many children" not in html  # numbers are not charted publicly


def test_public_results_before_publishing(client, answered):
    html = client.get(answered.url + "results/").content.decode()
    assert "We will publish the results here" in html and "66.7" not in html


def test_free_text_search(answered):
    page = results.free_text_answers(answered, _q(answered, "forum-barrier").id, search="far")
    assert page.paginator.count == 3
    assert (
        results.free_text_answers(answered, _q(answered, "forum-barrier").id, search="bus").paginator.count
        == 0
    )


# --- Exports ----------------------------------------------------------------------------------


def test_csv_export_has_one_row_per_response_and_escapes_formulas(answered):
    _respond(answered, 1, forum="no", **{"forum-barrier": '=HYPERLINK("http://evil.test")'})
    text = "".join(exports.csv_chunks(answered)).lstrip("\ufeff")
    table = list(csv.reader(io.StringIO(text)))
    header, rows = table[0], table[1:]
    assert header[: len(exports.FIXED_COLUMNS)] == exports.FIXED_COLUMNS and "would-help" in header
    assert len(rows) == 10
    helped = header.index("would-help")
    assert rows[0][helped] == "Someone to talk to when things are hard; Other: =SUM(A1)"
    assert rows[-2][header.index("forum-barrier")] == "Too far away"
    assert rows[-1][header.index("forum-barrier")] == '\'=HYPERLINK("http://evil.test")'
    assert rows[0][header.index("children")] == "2"


def test_ticked_choices_are_listed_in_the_questions_order_whatever_order_they_were_saved_in(answered):
    """The same ticks give the same cell (an officer filters on it), "Other" after the choices."""
    _respond(answered, 1, **{"would-help": {"keys": ["other", "childcare", "courses"], "other": "Bus"}})
    _respond(answered, 1, **{"would-help": {"keys": ["courses", "other", "childcare"], "other": "Bus"}})
    helped = exports.header(services.schema_for(answered)).index("would-help")
    *_, first, second = (row[helped] for row in exports.rows(answered))
    assert first == second == "Parenting courses or groups; Affordable childcare; Other: Bus"


def test_a_ticked_choice_removed_from_the_question_comes_before_other(answered):
    """As docs/consultations.md says: "Other" is always last in the cell."""
    from surveys.models import Answer

    _respond(answered, 1, **{"would-help": {"keys": ["other", "childcare"], "other": "Bus"}})
    latest = Answer.objects.filter(question_id=_q(answered, "would-help").id).latest("pk")
    Answer.objects.create(
        response=latest.response,
        consultation=answered,
        question_id=latest.question_id,
        choice_key="a-bus-pass",  # a key no longer among the question's choices
        channel=latest.channel,
    )
    helped = exports.header(services.schema_for(answered)).index("would-help")
    *_, last = (row[helped] for row in exports.rows(answered))
    assert last == "Affordable childcare; a-bus-pass; Other: Bus"


def test_exports_give_the_completion_time_on_londons_clock_in_summer_and_winter(answered):
    """PostgreSQL writes the time itself (exports._LondonMinute), SQLite's rows are converted in
    Python: the same cell on either database."""
    summer, winter, unfinished = Response.objects.filter(consultation=answered).order_by("pk")[:3]
    Response.objects.filter(pk=summer.pk).update(completed_at=datetime(2026, 7, 1, 19, 5, 59, tzinfo=UTC))
    Response.objects.filter(pk=winter.pk).update(completed_at=datetime(2026, 12, 1, 23, 59, tzinfo=UTC))
    Response.objects.filter(pk=unfinished.pk).update(completed_at=None)
    when = {row[0]: row[1] for row in exports.rows(answered)}
    assert when[summer.pk] == "2026-07-01 20:05"  # British Summer Time, cut to the minute
    assert when[winter.pk] == "2026-12-01 23:59"
    assert when[unfinished.pk] == ""


def test_xlsx_export_writes_text_not_formulas(answered):
    _respond(answered, 1, forum="no", **{"forum-barrier": "=1+1"})
    workbook = load_workbook(exports.xlsx_file(answered), read_only=True)
    rows = list(workbook["Responses"].iter_rows(values_only=True))
    assert len(rows) == 11
    assert rows[-1][rows[0].index("forum-barrier")] == "'=1+1"
    assert rows[1][rows[0].index("children")] == 2


def test_exports_stream_with_a_fixed_number_of_queries(answered, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        list(exports.rows(answered))


def test_exports_read_two_queries_a_chunk_and_the_same_rows_whatever_the_chunk(
    answered, make_consultation, monkeypatch
):
    other = make_consultation(slug="other")  # its answers fall between this one's, not in its rows
    _respond(answered, 1, forum="yes", **{"forum-barrier": "First of a chunk"})
    _respond(other, 1, forum="yes", **{"forum-barrier": "Not this consultation's"})
    _respond(answered, 1, forum="no", **{"forum-barrier": "Last"})
    whole = list(exports.rows(answered))
    with CaptureQueriesContext(connection) as one_chunk:
        list(exports.rows(answered))
    monkeypatch.setattr(exports, "EXPORT_CHUNK", 4)
    with CaptureQueriesContext(connection) as chunked:
        assert list(exports.rows(answered)) == whole
    assert len(whole) == 11 and whole[-1][-len(services.schema_for(answered)) :].count("Last") == 1
    assert not any("Not this consultation's" in str(cell) for row in whole for cell in row)
    assert len(chunked) - len(one_chunk) == 2 * 2  # three chunks of 4 instead of one: two queries each
    # Answers read by id range (ids close together) or by id (spread among other consultations'): the same.
    for dense in (0, 1000):
        monkeypatch.setattr(exports, "DENSE", dense)
        assert list(exports.rows(answered)) == whole


# --- Admin screens ------------------------------------------------------------------------------


def test_officers_see_results_free_text_and_exports(client, staff_login, answered):
    staff_login(roles.CONSULTATION_OFFICERS)
    html = client.get(f"/admin/consultations/{answered.pk}/results/?by=district").content.decode()
    assert "9</strong> responses" in html and "Read the 3 answers" in html and "Download CSV" in html
    barrier = _q(answered, "forum-barrier")
    assert (
        "Too far away"
        in client.get(
            f"/admin/consultations/{answered.pk}/results/free-text/{barrier.id}/?q=far"
        ).content.decode()
    )
    response = client.get(f"/admin/consultations/{answered.pk}/export.csv")
    assert response["Content-Disposition"].startswith('attachment; filename="support-responses-')
    assert len(b"".join(response.streaming_content).decode().splitlines()) == 10  # header + 9 responses
    assert client.get(f"/admin/consultations/{answered.pk}/export.xlsx").status_code == 200


def test_decision_makers_see_aggregates_only(client, staff_login, answered):
    staff_login(roles.DECISION_MAKERS)
    html = client.get(f"/admin/consultations/{answered.pk}/results/").content.decode()
    assert "9</strong> responses" in html and "Read the" not in html and "Download CSV" not in html
    barrier = _q(answered, "forum-barrier")
    assert (
        client.get(f"/admin/consultations/{answered.pk}/results/free-text/{barrier.id}/")["Location"]
        == "/admin/"
    )
    assert client.get(f"/admin/consultations/{answered.pk}/export.csv")["Location"] == "/admin/"


def test_forum_coordinators_cannot_see_results(client, staff_login, answered):
    staff_login(roles.FORUM_COORDINATORS)
    assert client.get(f"/admin/consultations/{answered.pk}/results/")["Location"] == "/admin/"  # refused


def test_results_page_query_count_does_not_grow_with_responses(
    client, staff_login, answered, django_assert_max_num_queries
):
    staff_login(roles.CONSULTATION_OFFICERS)
    url = f"/admin/consultations/{answered.pk}/results/?by=channel"
    client.get(url)
    _respond(answered, 2, forum="no", ease="3")
    with django_assert_max_num_queries(60) as first:  # counts the 2 waiting responses in
        client.get(url)
    _respond(answered, 20, forum="yes", ease="5")
    with django_assert_max_num_queries(len(first.captured_queries)):  # and the 20
        client.get(url)
    with django_assert_max_num_queries(len(first.captured_queries) - 6):  # nothing waiting
        client.get(url)
