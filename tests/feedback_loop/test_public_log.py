"""The public 'You said, we did' log: what it shows, its filters and feeds, and what it never shows."""

from datetime import timedelta
from xml.etree import ElementTree  # our own feed, not untrusted input

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback_loop.models import DecisionUpdate, Theme
from parentvoice.models import District

from .conftest import evidence

pytestmark = pytest.mark.django_db

PHONE, EMAIL, NAME = "+447700900555", "private.parent@example.org", "Zebedee Private"
FREE_TEXT = "My neighbour Sharon at number 12 never gets the letters"


@pytest.fixture
def decided(log_page, closed_consultation, answer, make_contact, make_item, make_decision):
    """A closed consultation with personal data behind it, one decided item and one waiting."""
    page = closed_consultation
    contact = make_contact(NAME, mobile=PHONE, email=EMAIL)
    answer(page, first_place="school", contact=contact, free_text=FREE_TEXT)
    for _ in range(5):
        answer(page, first_place="school")
    dover = District.objects.create(name="Dover", slug="dover", ons_code="E07000108")
    decided_item = make_item(
        summary="Parents look to schools first.",
        consultation=page,
        evidence=evidence(page, "first-place", "school"),
        quotes=[("The school newsletter is the only thing I read.", True), (FREE_TEXT, False)],
        districts=[dover],
    )
    waiting = make_item(
        summary="Parents want evening meetings.",
        consultation=page,
        evidence=evidence(page, "forum-barrier", ""),
        theme=Theme.objects.create(name="Meetings", slug="meetings"),
    )
    decision = make_decision([decided_item], summary="Every school newsletter will list what is on.")
    return {"page": page, "decided": decided_item, "waiting": waiting, "decision": decision, "dover": dover}


def _text(response):
    assert response.status_code == 200
    return response.content.decode()


def test_the_log_shows_what_parents_said_and_what_was_done(client, decided, log_page):
    html = _text(client.get(log_page.url))
    assert "Parents look to schools first." in html
    assert "Every school newsletter will list what is on." in html
    assert "about 5 people said this" in html  # 6, rounded: see test_small_numbers_published
    assert "The school newsletter is the only thing I read." in html
    assert "Parents want evening meetings." in html and "Waiting for a decision" in html
    assert f'href="{decided["page"].url}results/"' in html


@pytest.mark.parametrize(
    "query, shown, hidden",
    [
        ("district=dover", ["Parents look to schools first.", "Parents want evening meetings."], []),
        ("theme=meetings", ["Parents want evening meetings."], ["Parents look to schools first."]),
        ("status=agreed", ["Parents look to schools first."], ["Parents want evening meetings."]),
        ("status=awaiting", ["Parents want evening meetings."], ["Parents look to schools first."]),
        ("status=done", [], ["Parents look to schools first.", "Parents want evening meetings."]),
        (
            f"year={timezone.now().year}&theme=meetings",
            ["Parents want evening meetings."],
            ["Parents look to"],
        ),
        # A year nobody said anything in is not offered: the form says so and nothing is filtered.
        ("year=1999", ["Select a valid choice", "Parents look to schools first."], []),
    ],
)
def test_filters(client, decided, log_page, query, shown, hidden):
    html = _text(client.get(f"{log_page.url}?{query}"))
    for text in shown:
        assert text in html
    for text in hidden:
        assert text not in html


def test_drafts_and_unpublished_consultations_stay_off_the_log(
    client, decided, log_page, make_item, make_decision
):
    page = decided["page"]
    draft_item = make_item(
        summary="A draft nobody has checked.",
        consultation=page,
        evidence=evidence(page, "first-place", "health"),
        publish=False,
    )
    make_decision([decided["waiting"]], summary="A draft decision.", publish=False)
    html = _text(client.get(log_page.url))
    assert "A draft nobody has checked." not in html and "A draft decision." not in html
    assert client.get(f"{log_page.url}decisions/{draft_item.pk + 100}/").status_code == 404
    page.unpublish()
    html = _text(client.get(log_page.url))
    assert "Parents look to schools first." not in html
    assert client.get(f"{log_page.url}decisions/{decided['decision'].pk}/").status_code == 404


def test_no_personal_data_on_any_public_page(client, decided, log_page):
    page, decision = decided["page"], decided["decision"]
    urls = [
        log_page.url,
        f"{log_page.url}?status=agreed",
        f"{log_page.url}decisions/{decision.pk}/",
        f"{log_page.url}feed/",
        f"{log_page.url}feed/atom/",
        page.url,
        f"{page.url}results/",
        "/",
    ]
    for url in urls:
        html = _text(client.get(url))
        for secret in (PHONE, "07700 900555", "7700900555", EMAIL, NAME, FREE_TEXT, "Sharon"):
            assert secret not in html, (url, secret)
    assert "Every school newsletter will list what is on." in _text(client.get(page.url))


def test_small_numbers_are_not_published(
    client, log_page, closed_consultation, answer, make_item, make_decision
):
    page = closed_consultation
    for _ in range(3):
        answer(page, first_place="health")
    item = make_item(consultation=page, evidence=evidence(page, "first-place", "health"))
    make_decision([item])
    assert item.response_count == 3
    assert "3 people said this" not in _text(client.get(log_page.url))


def test_the_decision_page(client, decided, log_page):
    decision = decided["decision"]
    DecisionUpdate.objects.create(decision=decision, text="Sent to every head teacher.")
    html = _text(client.get(f"{log_page.url}decisions/{decision.pk}/"))
    for text in (
        "Every school newsletter will list what is on.",
        "Agreed",
        "Children&#x27;s Trust Board",
        "Head of Early Help",
        "Sent to every head teacher.",
        "Parents look to schools first.",
    ):
        assert text in html


def test_feeds_list_published_decisions(client, decided, log_page, make_decision):
    make_decision([decided["waiting"]], summary="Not yet published.", publish=False)
    rss = ElementTree.fromstring(  # noqa: S314
        client.get(f"{log_page.url}feed/").content
    )
    titles = [t.text for t in rss.iter("item") for t in t.iter("title")]
    assert titles == ["Agreed: Every school newsletter will list what is on."]
    link = next(rss.iter("item")).find("link").text
    assert link == f"http://testserver{log_page.url}decisions/{decided['decision'].pk}/"
    atom = ElementTree.fromstring(  # noqa: S314
        client.get(f"{log_page.url}feed/atom/").content
    )
    assert len(atom.findall("{http://www.w3.org/2005/Atom}entry")) == 1


def test_the_log_page_runs_a_fixed_number_of_queries(client, decided, log_page, make_item, make_decision):
    page = decided["page"]
    client.get(log_page.url)  # warm the site-root cache

    def queries():
        with CaptureQueriesContext(connection) as captured:
            _text(client.get(log_page.url))
        return len(captured.captured_queries)

    before = queries()
    for n in range(8):
        item = make_item(
            summary=f"Point {n}",
            consultation=page,
            evidence=evidence(page, "first-place", "school"),
            quotes=[(f"Quote {n}", True)],
        )
        DecisionUpdate.objects.create(decision=make_decision([item], summary=f"Decision {n}"), text="Started")
    assert queries() == before


def test_forum_points_link_to_their_decisions(
    client, log_page, make_forum, make_event, make_item, make_decision
):
    forum = make_forum("Dover forum", district="Dover")
    event = make_event(
        forum,
        "Meeting",
        days=-3,
        parents_said=[("said", {"text": "Evening meetings please", "theme": "Access"})],
    )
    html = _text(client.get(forum.url))
    assert "We did:" not in html
    item = make_item(event=event, point_id=event.parents_said[0].id)
    decision = make_decision([item], status="under_consideration")
    html = _text(client.get(forum.url))
    assert f'href="{log_page.url}decisions/{decision.pk}/">We did: under consideration' in html
    log_html = _text(client.get(log_page.url))
    assert "Dover forum" in log_html and "Raised at the meeting on" in log_html


def test_the_home_page_lists_latest_decisions(client, decided):
    html = _text(client.get("/"))
    assert "Every school newsletter will list what is on." in html


def test_an_open_consultation_page_shows_no_outcomes_yet(client, log_page, make_consultation):
    page = make_consultation(slug="still-open", closes_at=timezone.now() + timedelta(days=3))
    assert "You said, we did" not in _text(client.get(page.url)).split("<main", 1)[1].split("</main>")[0]


def test_the_log_pages_through_items_keeping_filters(client, log_page, closed_consultation, make_item, theme):
    page = closed_consultation
    for n in range(21):
        make_item(
            summary=f"Point number {n:02d}.",
            consultation=page,
            evidence=evidence(page, "first-place", "school"),
        )
    html = _text(client.get(f"{log_page.url}?theme={theme.slug}"))
    assert "21 things parents said match" in html
    assert f'href="?theme={theme.slug}&amp;page=2" rel="next"' in html
    assert "Point number 00." not in html  # newest first: the first one made is on page 2
    assert "Point number 00." in _text(client.get(f"{log_page.url}?theme={theme.slug}&page=2"))


def test_follow_offers_updates_by_text_or_email_before_the_feeds(client, log_page):
    html = client.get(log_page.url).content.decode()
    follow = html[html.index("Follow new decisions") :]
    get_updates = follow.index(f'href="{reverse("messaging:sign_up")}">Get updates</a>')
    assert get_updates < follow.index("RSS feed")
