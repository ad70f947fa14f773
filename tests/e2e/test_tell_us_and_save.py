"""Issue 18 in a real browser, each test from an empty site (no demo content):

1. "Tell us" (docs/tell-us.md): a parent sends a message with a district and an email to hear back,
   after an empty try (error summary, focused); the confirmation gives the reference; the form works
   without JavaScript; an officer finds the entry in the triage list and makes a draft 'You said' item.
2. "Save and come back later" (docs/save-and-come-back.md): a parent saves on question 2, the link
   from the outbox is used in another browser, they finish and send; the link a second time is refused.
3. axe (WCAG 2.2 AA) on every new public page, and no sideways scrolling at 320px on the forms, the
   confirmation and the 'Carry on' page.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from parentvoice.accounts.roles import CONSULTATION_OFFICERS
from tests.e2e.conftest import fits_320 as _fits_320
from tests.e2e.conftest import no_axe_violations as _no_axe_violations

pytestmark = pytest.mark.e2e

PARENT = "sam@example.org"
SAID = "The family hub in Dover closes at 3pm, so working parents cannot get there."


@pytest.fixture
def districts(transactional_db):
    from parentvoice.models import District

    return [
        District.objects.create(name="Dover", slug="dover", ons_code="E07000108"),
        District.objects.create(name="Thanet", slug="thanet", ons_code="E07000114"),
    ]


# --- 1. Tell us ------------------------------------------------------------------------------------


def test_a_parent_tells_us_something_and_an_officer_makes_it_a_you_said_item(
    live_server, transactional_db, home_page, districts, signed_in, new_browser
):
    from feedback_loop.models import FeedbackItem, OpenFeedback, Theme
    from messaging.models import Message

    site_url = live_server.url
    parent = new_browser()
    parent.goto(f"{site_url}/tell-us/")
    expect(parent.locator("h1")).to_have_text("Tell us something")
    _no_axe_violations(parent)
    _fits_320(parent)

    parent.get_by_role("button", name="Send").click()
    summary = parent.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter what you want to tell us")
    expect(parent).to_have_title(re.compile(r"^Error: "))
    _no_axe_violations(parent)
    assert not OpenFeedback.objects.exists()

    parent.get_by_label("What do you want to tell us?").fill(SAID)
    parent.get_by_label("Your district (optional)").select_option(label="Dover")
    parent.get_by_label("Email address (optional)").fill(PARENT)
    parent.get_by_role("button", name="Send").click()
    expect(parent.locator("h1")).to_have_text("Thank you for telling us")
    entry = OpenFeedback.objects.get()
    assert entry.text == SAID and entry.district.name == "Dover" and entry.source == "web"
    panel = parent.locator(".govuk-panel")
    expect(panel).to_contain_text(entry.reference)
    expect(parent.locator("main")).to_contain_text("We have sent an email to check the address is yours")
    assert PARENT not in str(OpenFeedback.objects.values().get())  # the address is never on the entry
    assert Message.objects.filter(recipient=PARENT).exists()  # the double opt-in confirmation
    _no_axe_violations(parent)
    _fits_320(parent)

    # The same form with JavaScript turned off, without an address to hear back on.
    plain = new_browser(java_script_enabled=False)
    plain.goto(f"{site_url}/tell-us/")
    plain.get_by_role("button", name="Send").click()
    expect(plain.locator(".govuk-error-summary")).to_contain_text("Enter what you want to tell us")
    plain.get_by_label("What do you want to tell us?").fill("Bus passes for young carers, please.")
    plain.get_by_role("button", name="Send").click()
    expect(plain.locator("h1")).to_have_text("Thank you for telling us")
    expect(plain.locator("main")).to_contain_text("You did not ask us to tell you what happened")
    second = OpenFeedback.objects.latest("pk")
    assert second.district is None and second.pk != entry.pk
    expect(plain.locator(".govuk-panel")).to_contain_text(second.reference)

    # The officer's triage list shows both, newest first; the entry becomes a draft 'You said' item.
    theme = Theme.objects.create(name="Family hubs", slug="family-hubs")
    officer = signed_in(CONSULTATION_OFFICERS, "officer@example.org")
    officer.goto(f"{site_url}/admin/tell-us/")
    rows = officer.locator("table.listing tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(second.reference)
    expect(rows.nth(1)).to_contain_text(SAID)
    expect(rows.nth(1)).to_contain_text("Dover")
    officer.get_by_label("District").select_option(label="Dover")
    officer.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    officer.get_by_role("link", name=entry.reference).click()
    expect(officer).to_have_url(re.compile(rf"/admin/tell-us/{entry.pk}/$"))
    expect(officer.locator("main")).to_contain_text(SAID)
    officer.locator("#id_make_item-summary").fill(
        "Working parents cannot get to the Dover family hub before it closes."
    )
    officer.locator("#id_make_item-theme").select_option(label="Family hubs")
    officer.get_by_role("button", name="Make a draft item").click()
    item = FeedbackItem.objects.get()
    expect(officer).to_have_url(re.compile(rf"/admin/snippets/feedback_loop/feedbackitem/edit/{item.pk}/$"))
    expect(officer.locator(".messages")).to_contain_text("Draft 'You said' item made")
    assert not item.live and item.theme == theme
    assert list(item.districts.values_list("name", flat=True)) == ["Dover"]
    entry.refresh_from_db()
    assert entry.status == "made_item" and entry.feedback_item == item


# --- 2. Save and come back later -------------------------------------------------------------------


QUESTIONS = "first-place", "ease", "anything-else"


@pytest.fixture
def consultation(live_server, transactional_db, home_page):
    from surveys.demo import SUPPORT_QUESTIONS
    from surveys.models import ConsultationIndexPage, ConsultationPage

    index = ConsultationIndexPage(title="Have your say", slug="have-your-say")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    now = timezone.now()
    page = ConsultationPage(
        title="Support for parents",
        slug="support",
        summary="Tell us what helps.",
        why_asking="<p>Because.</p>",
        what_happens_next="<p>We will report back.</p>",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
        ask_about_you=False,
        questions=[
            q for q in SUPPORT_QUESTIONS if q["type"] != "section" and q["value"]["code"] in QUESTIONS
        ],
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return ConsultationPage.objects.get(pk=page.pk)


def _link_from_outbox(site_url):
    from messaging.models import Message
    from surveys.models import ResumeLink

    link = ResumeLink.objects.get()
    message = Message.objects.get(idempotency_key=f"surveys:resume:{link.pk}")
    assert message.recipient == PARENT
    path = re.search(r"/consultations/\d+/resume/[A-Za-z0-9_-]{43}/", message.body).group(0)
    return site_url + path


def test_a_parent_saves_on_question_two_and_finishes_in_another_browser(
    live_server, consultation, new_browser
):
    from surveys.models import Answer, Response, ResumeLink

    site_url = live_server.url
    parent = new_browser()
    parent.goto(site_url + consultation.url)
    parent.get_by_role("button", name="Start now").click()
    parent.get_by_label("The internet or social media").check()
    parent.get_by_role("button", name="Continue").click()
    expect(parent.locator("h1")).to_have_text(
        "How easy is it to find out about services for families near you?"
    )
    parent.get_by_label("2", exact=True).check()
    parent.get_by_role("button", name="Save and come back later").click()
    expect(parent.locator("h1")).to_have_text("Get a link to carry on")
    _no_axe_violations(parent)
    _fits_320(parent)

    address = parent.get_by_label("Email address or mobile number")
    address.fill("not an address")
    parent.get_by_role("button", name="Send me a link").click()
    summary = parent.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter an email address")
    _no_axe_violations(parent)
    address.fill(f"  {PARENT.upper()} ")
    parent.get_by_role("button", name="Send me a link").click()
    expect(parent.locator("h1")).to_have_text("Check your email or phone")
    _no_axe_violations(parent)
    assert PARENT not in str(ResumeLink.objects.values().get())  # the address is not kept
    assert not Response.objects.exists()

    link = _link_from_outbox(site_url)
    other = new_browser()  # another device: none of the first browser's cookies
    other.goto(link)
    expect(other.locator("h1")).to_have_text("Carry on with your answers")
    _no_axe_violations(other)
    _fits_320(other)
    other.get_by_role("button", name="Carry on with your answers").click()
    expect(other.locator("h1")).to_have_text(
        "How easy is it to find out about services for families near you?"
    )
    expect(other.get_by_label("2", exact=True)).to_be_checked()
    other.get_by_label("4", exact=True).check()  # changed on the way
    other.get_by_role("button", name="Continue").click()
    other.get_by_label(re.compile("Is there anything else")).fill("More evening sessions, please.")
    other.get_by_role("button", name="Continue").click()
    expect(other.locator("h1")).to_have_text("Check your answers")
    answers = other.locator("main .govuk-summary-list")
    expect(answers).to_contain_text("The internet or social media")  # question 1, answered before saving
    expect(answers).to_contain_text("More evening sessions, please.")
    other.get_by_role("button", name="Send my answers").click()
    expect(other.locator("h1")).to_contain_text("your answers have been sent")
    response = Response.objects.get()
    assert set(Answer.objects.filter(response=response).values_list("choice_key", flat=True)) >= {
        "online",
        "4",
    }

    # The link a second time, in the first browser, is refused and restores nothing.
    used = parent.goto(link)
    assert used.status == 410
    expect(parent.locator("h1")).to_have_text("This link has already been used")
    expect(parent.get_by_role("button", name="Carry on with your answers")).to_have_count(0)
    _no_axe_violations(parent)
    assert Response.objects.count() == 1
