"""Open data: the read-only API under /api/v1/ and the CSV downloads on /open-data/ publish only what
the public pages show: no personal data, no unpublished or private records, no held or unapproved
quotes, small numbers hidden; fixed query counts; spreadsheet-safe cells; limited per client."""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from feedback_loop.models import DecisionUpdate, FeedbackQuote
from feedback_loop.services import open_data
from parentvoice.accounts.roles import ACTION_LEADS, CONSULTATION_OFFICERS
from parentvoice.models import District
from parentvoice.safeguarding.services import flag_by_hand
from surveys import results
from tests.factories import ActionFactory, PriorityFactory, ProgressReportFactory

from .conftest import evidence

pytestmark = pytest.mark.django_db

PHONE, EMAIL, NAME = "+447700900555", "private.parent@example.org", "Zebedee Private"
REPORTER = "Rita Reporter"
LEAD = "Lionel Lead"
FREE_TEXT = "My neighbour Sharon at number 12 never gets the letters"
APPROVED, UNAPPROVED, HELD = (
    "The school newsletter is the only thing I read.",
    "I never see the posters at all.",
    "Something worrying that is under review.",
)
ENDPOINTS = ["decisions", "feedback-items", "priorities", "actions", "results"]
CSVS = ["decisions", "feedback-items", "actions", "results"]


def api(name):
    return reverse(f"open_data_api_{name.replace('-', '_')}")


def get_json(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def get_csv(client, name):
    response = client.get(reverse("open_data_csv", args=[name]))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def site(
    log_page,
    progress_page,
    closed_consultation,
    make_consultation,
    answer,
    make_contact,
    make_item,
    make_decision,
    make_user,
):
    """A fully populated site: personal data behind every record, and one of everything that must
    never be published beside what is."""
    page = closed_consultation
    contact = make_contact(NAME, mobile=PHONE, email=EMAIL)
    answer(page, first_place="school", contact=contact, free_text=FREE_TEXT)
    for _ in range(5):
        answer(page, first_place="school")
    answer(page, first_place="online")  # 1: fewer than 5
    dover = District.objects.create(name="Dover", slug="dover", ons_code="E07000108")
    item = make_item(
        summary="Parents look to schools first.",
        consultation=page,
        evidence=evidence(page, "first-place", "school"),
        quotes=[(APPROVED, True), (UNAPPROVED, False), (HELD, True)],
        districts=[dover],
    )
    officer = make_user(email="officer@example.org", groups=[CONSULTATION_OFFICERS])
    flag_by_hand("feedback_loop.quote", FeedbackQuote.objects.get(text=HELD).pk, officer, "check")
    waiting = make_item(
        summary="Parents want evening meetings.",
        consultation=page,
        evidence=evidence(page, "forum-barrier", ""),
    )
    draft_item = make_item(
        summary="DRAFT ITEM",
        consultation=page,
        evidence=evidence(page, "first-place", "school"),
        publish=False,
    )

    private = make_consultation(
        title="Private consultation", slug="private", results_published=True,
        opens_at=timezone.now() - timedelta(days=40), closes_at=timezone.now() - timedelta(days=10),
    )  # fmt: skip
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="secret")
    for _ in range(6):
        answer(private, first_place="school")
    private_item = make_item(
        summary="PRIVATE ITEM", consultation=private, evidence=evidence(private, "first-place", "school")
    )
    unpublished = make_consultation(
        title="Results not yet published", slug="unpublished", results_published=False,
        opens_at=timezone.now() - timedelta(days=40), closes_at=timezone.now() - timedelta(days=10),
    )  # fmt: skip

    priority = PriorityFactory(
        number=1, title="Reducing poverty", outcomes="Fewer children in poverty\nMore work"
    )
    lead = make_user(email="lionel@example.org", groups=[ACTION_LEADS])
    lead.first_name, lead.last_name = LEAD.split()
    lead.save()
    action = ActionFactory(
        priority=priority, number=1, lead_users=[lead], districts=[dover], partners="Jobcentre Plus"
    )
    reporter = make_user(email="rita@example.org")
    reporter.first_name, reporter.last_name = REPORTER.split()
    reporter.save()
    ProgressReportFactory(
        action=action,
        status="green",
        reported_on=timezone.localdate() - timedelta(days=20),
        reported_by=reporter,
    )
    ProgressReportFactory(action=action, status="amber", commentary="Funding is late.", reported_by=reporter)
    quiet = ActionFactory(priority=priority, number=2)

    decision = make_decision(
        [item],
        summary="Every school newsletter will list what is on.",
        due_on=timezone.localdate() - timedelta(days=1),
    )
    decision.actions.add(action)
    decision.save()
    DecisionUpdate.objects.create(decision=decision, text="Sent to every school.", date=timezone.localdate())
    draft_decision = make_decision([waiting], summary="DRAFT DECISION", publish=False)
    private_decision = make_decision([private_item], summary="PRIVATE DECISION")
    private_decision.actions.add(quiet)
    private_decision.save()
    return {
        "page": page, "item": item, "waiting": waiting, "draft_item": draft_item, "private": private,
        "private_item": private_item, "unpublished": unpublished, "decision": decision,
        "draft_decision": draft_decision, "private_decision": private_decision, "action": action,
        "quiet": quiet, "dover": dover,
    }  # fmt: skip


# --- Fields and exclusions ------------------------------------------------------------------------


def test_decisions_list_published_public_decisions_with_their_fields(client, site, log_page):
    data = get_json(client, api("decisions"))
    assert data["count"] == 1
    (record,) = data["results"]
    assert record == {
        "id": site["decision"].pk,
        "summary": "Every school newsletter will list what is on.",
        "status": {"key": "agreed", "label": "Agreed"},
        "reason": "",
        "deciding_body": "Children's Trust Board",
        "owner": "Head of Early Help",
        "decided_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "due_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "overdue": True,
        "updates": [{"date": timezone.localdate().isoformat(), "text": "Sent to every school."}],
        "feedback_item_ids": [site["item"].pk],
        "actions": ["1.1"],
        "url": "http://testserver" + log_page.decision_url(site["decision"].pk),
    }


def test_decision_filters(client, site):
    assert get_json(client, api("decisions"), status="done")["count"] == 0
    assert get_json(client, api("decisions"), status="agreed")["count"] == 1
    assert get_json(client, api("decisions"), district="dover")["count"] == 1
    assert get_json(client, api("decisions"), theme="information")["count"] == 1


def test_feedback_items_list_published_public_items_with_approved_quotes_only(client, site):
    data = get_json(client, api("feedback-items"))
    by_id = {record["id"]: record for record in data["results"]}
    assert set(by_id) == {site["item"].pk, site["waiting"].pk}
    record = by_id[site["item"].pk]
    assert record["quotes"] == [APPROVED]  # not the unapproved one, not the one held for review
    assert record["people_rounded"] == 5  # 6 people, rounded
    assert record["districts"] == ["Dover"]
    assert record["source"] == {
        "kind": "consultation",
        "title": site["page"].title,
        "consultation_id": site["page"].pk,
    }
    assert record["decision_ids"] == [site["decision"].pk]
    assert record["theme"] == {"slug": "information", "name": "Information for parents"}
    waiting = by_id[site["waiting"].pk]
    assert waiting["decision_ids"] == []  # its decision is a draft
    assert waiting["people_rounded"] is None  # one person: under 5
    assert get_json(client, api("feedback-items"), status="awaiting")["count"] == 1


def test_actions_and_priorities(client, site):
    actions = get_json(client, api("actions"))["results"]
    assert [a["reference"] for a in actions] == ["1.1", "1.2"]
    first = actions[0]
    assert first["status"] == {"key": "amber", "label": "Amber: at risk"}
    assert first["commentary"] == "Funding is late."
    assert [r["status"]["key"] for r in first["reports"]] == ["amber", "green"]
    assert first["districts"] == ["Dover"] and first["partners"] == "Jobcentre Plus"
    assert first["decision_ids"] == [site["decision"].pk]
    assert not {"reported_by", "lead_users"} & set(first) and all(
        "reported_by" not in r for r in first["reports"]
    )
    assert actions[1]["status"] == {"key": None, "label": "No report yet"}
    assert actions[1]["decision_ids"] == []  # its only decision answers a private consultation
    assert get_json(client, api("actions"), status="not_reported")["count"] == 1
    assert get_json(client, api("actions"), priority="1", status="amber")["count"] == 1

    (priority,) = get_json(client, api("priorities"))["results"]
    assert priority["outcomes"] == ["Fewer children in poverty", "More work"]
    assert priority["status_counts"] == {"amber": 1, "not_reported": 1}
    assert priority["actions"] == ["1.1", "1.2"]


def test_the_plan_is_open_data_only_while_its_page_is_published_for_everyone(client, site, progress_page):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=progress_page, restriction_type=PageViewRestriction.LOGIN)
    assert get_json(client, api("actions"))["results"] == []
    assert get_json(client, api("priorities"))["results"] == []
    PageViewRestriction.objects.all().delete()
    progress_page.unpublish()
    assert get_json(client, api("actions"))["results"] == []
    progress_page.save_revision().publish()
    assert [a["reference"] for a in get_json(client, api("actions"))["results"]] == ["1.1", "1.2"]


def test_results_only_of_public_consultations_whose_results_are_published(client, site):
    data = get_json(client, api("results"))
    assert [r["id"] for r in data["results"]] == [site["page"].pk]
    record = data["results"][0]
    assert record["responses"] == 7
    first_place = next(q for q in record["questions"] if q["choices"] and q["choices"][0]["key"] == "school")
    by_key = {c["key"]: c for c in first_place["choices"]}
    assert by_key["online"] == {**by_key["online"], "count": None, "percent": None, "hidden": "fewer than 5"}
    # 6 + 1 = 7 answered is known: showing the 6 would give the 1 away, so it is hidden too.
    assert by_key["school"] == {**by_key["school"], "count": None, "percent": None, "hidden": "not shown"}
    assert all(q["type"] != "free_text" for q in record["questions"])


def test_results_match_the_public_results_page(client, site):
    """The bulk aggregation shows exactly what surveys.results.public_results shows on the page."""
    page = site["page"]
    mine = open_data.consultation_results([page])[page.pk]
    theirs = results.public_results(page)
    assert [q["chart_rows"] for q in mine["questions"]] == [
        q["chart_rows"] for q in theirs["public_questions"]
    ]
    assert [q["too_few"] for q in mine["questions"]] == [q["too_few"] for q in theirs["public_questions"]]
    assert mine["total"] == theirs["total_responses"]


def test_nothing_unpublished_private_or_personal_anywhere(client, site, log_page):
    texts = [json.dumps(get_json(client, api(name))) for name in ENDPOINTS]
    texts += [get_csv(client, name) for name in CSVS]
    everything = "\n".join(texts)
    for secret in (
        "DRAFT ITEM", "DRAFT DECISION", "PRIVATE ITEM", "PRIVATE DECISION", "Private consultation",
        "Results not yet published", UNAPPROVED, HELD, FREE_TEXT, NAME, "Zebedee", REPORTER, "Rita", LEAD,
        "Lionel", "secret", PHONE, "07700",
    ):  # fmt: skip
        assert secret not in everything, secret
    assert "@" not in everything
    assert not re.search(r"(?:\+44|\b0)7\d{3}\s?\d{6}", everything)
    assert "<" not in everything  # plain text only, no markup


# --- Query counts ---------------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_data(
    client, site, make_item, make_decision, make_consultation, answer
):
    page = site["page"]
    answer(page, first_place="school")  # waiting to be counted, as the new ones below will be
    before = {name: _queries(client, api(name)) for name in ENDPOINTS}
    for n in range(4):
        item = make_item(
            summary=f"More {n}",
            consultation=page,
            evidence=evidence(page, "first-place", "school"),
            quotes=[(APPROVED, True)],
        )
        decision = make_decision([item], summary=f"Decided {n}")
        action = ActionFactory(priority=site["action"].priority, districts=[site["dover"]])
        ProgressReportFactory(action=action, status="red", commentary="Late.")
        decision.actions.add(action)
        decision.save()
        DecisionUpdate.objects.create(decision=decision, text="Done something.")
        other = make_consultation(
            title=f"Other {n}", slug=f"other-{n}", results_published=True,
            opens_at=timezone.now() - timedelta(days=9), closes_at=timezone.now() - timedelta(days=2),
        )  # fmt: skip
        answer(other, first_place="school")
    after = {name: _queries(client, api(name)) for name in ENDPOINTS}
    assert after == before


# --- CSV ------------------------------------------------------------------------------------------


def test_csv_cells_that_look_like_formulas_are_defused(client, site, make_item, make_decision):
    page = site["page"]
    item = make_item(
        summary="=HYPERLINK(\"http://evil\")", consultation=page,
        evidence=evidence(page, "first-place", "school"), quotes=[("+cmd|' /C calc'!A0", True)],
    )  # fmt: skip
    make_decision([item], summary="=cmd|' /C calc'!A0", owner="@SUM(1+1)")
    site["action"].text = "-2+3"
    site["action"].save()
    rows = {
        name: list(csv.reader(io.StringIO(get_csv(client, name))))
        for name in ("decisions", "feedback-items", "actions")
    }
    cells = [cell for table in rows.values() for row in table for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells and "'@SUM(1+1)" in cells
    assert '\'=HYPERLINK("http://evil")' in cells and "'-2+3" in cells
    assert any(cell.startswith("'+cmd") for cell in cells)
    assert not any(cell.lstrip(" ").startswith(("=", "+", "-", "@")) for cell in cells)


def test_csv_downloads_are_streamed_attachments(client, site):
    response = client.get(reverse("open_data_csv", args=["actions"]))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="actions.csv"'
    assert "max-age=300" in response["Cache-Control"] and "public" in response["Cache-Control"]
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert table[0][:3] == ["reference", "priority", "priority_title"]
    assert table[1][9:13] == ["amber", "Amber: at risk", timezone.localdate().isoformat(), "Funding is late."]
    results_rows = list(csv.reader(io.StringIO(get_csv(client, "results"))))
    online = next(row for row in results_rows if row[7] == "online")
    assert online[9] == "" and online[11] == "fewer than 5"
    assert client.get("/open-data/nothing.csv").status_code == 404


# --- Odd input, caching, limits -------------------------------------------------------------------


def test_odd_parameters(client, site):
    url = api("decisions")
    for params, message in [
        ({"sort": "id"}, "Unknown parameter 'sort'"),
        ({"status": "maybe"}, "There is no status 'maybe'"),
        ({"theme": "nope"}, "There is no theme 'nope'"),
        ({"district": "atlantis"}, "There is no district 'atlantis'"),
    ]:
        response = client.get(url, params)
        assert response.status_code == 400 and message in response.json()["detail"], params
    assert client.get(api("actions"), {"priority": "9" * 40}).status_code == 400
    assert client.get(url, {"page": "9" * 40}).status_code == 404
    assert client.get(url, {"page": "abc"}).status_code == 404
    data = get_json(client, api("actions"), page_size="100000000000000000000")
    assert data["count"] == 2 and len(data["results"]) == 2
    assert client.post(url).status_code == 405


def test_many_records_are_paged_100_at_most(client, site):
    priority = site["action"].priority
    for n in range(105):
        ActionFactory(priority=priority, number=100 + n)
    data = get_json(client, api("actions"), page_size=500)
    assert len(data["results"]) == 100 and data["next"]
    assert len(get_json(client, api("actions"))["results"]) == 20


def test_responses_are_cached_publicly_and_signed_in_staff_see_the_same(client, site, staff_login):
    response = client.get(api("decisions"))
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    anonymous = response.json()
    staff_login(CONSULTATION_OFFICERS)
    assert client.get(api("feedback-items")).json() == get_json(client, api("feedback-items"))
    assert client.get(api("decisions")).json() == anonymous


def test_each_client_is_limited(client, site, settings):
    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "open_data": "3/h/ip"}
    for _ in range(2):
        assert client.get(api("decisions")).status_code == 200
    assert client.get(reverse("open_data_csv", args=["decisions"])).status_code == 200
    refused = client.get(api("actions"))
    assert refused.status_code == 429 and "Too many requests" in refused.json()["detail"]
    assert client.get(reverse("open_data_csv", args=["actions"])).status_code == 429
    assert client.get(api("actions"), REMOTE_ADDR="10.9.9.9").status_code == 200  # another client


# --- The page -------------------------------------------------------------------------------------


def test_the_open_data_page_lists_each_dataset_and_the_licence(client, site, home_page):
    html = client.get(reverse("open_data")).content.decode()
    assert "Open Government Licence v3.0" in html
    assert "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/" in html
    assert "©" in html
    for name in CSVS:
        assert reverse("open_data_csv", args=[name]) in html
    for name in ENDPOINTS:
        assert api(name) in html
    assert "fewer than 5" in html
    assert f'href="{reverse("open_data")}"' in client.get(home_page.url).content.decode()  # the footer link
