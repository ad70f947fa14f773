"""Issue 14's "Done when", on an empty site: a parent answers by the consultation's open web link and
asks to be told by email (confirming from the link in the email), another texts the keyword, answers
and replies YES, an officer keys a paper response that asked to be told by text (the number confirms
with YES). An officer records what parents said and publishes a decision after "This will tell 3
people": each of the three gets exactly one outcome message, on the channel they asked on."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from messaging.choices import Channel, FollowRoute, MessageStatus
from messaging.models import FollowRequest, Message
from parentvoice.accounts.roles import CONSULTATION_OFFICERS
from tests.e2e import editor
from tests.surveys.texting import text

pytestmark = pytest.mark.e2e

QUESTION = "Have you been to a parent forum meeting?"
DECISION = "Forum meetings will also be held at 7pm."
WEB_EMAIL = "web.parent@example.org"
TEXTER = "+447700900601"
PAPER_MOBILE = "+447700900602"


def _no_axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    from tests.e2e.conftest import WCAG_TAGS

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def _consultation(home_page):
    """The places consultations and decisions are published, and an open, linked consultation with
    one question and an SMS keyword, as an officer would have published them."""
    from feedback_loop.models import YouSaidWeDidPage
    from surveys.choices import Anonymity
    from surveys.models import ConsultationIndexPage, ConsultationPage

    index = ConsultationIndexPage(title="Have your say", slug="have-your-say")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    log = YouSaidWeDidPage(title="You said, we did", slug="you-said-we-did")
    home_page.add_child(instance=log)
    log.save_revision().publish()
    now = timezone.now()
    page = ConsultationPage(
        title="Parent forum meetings",
        slug="parent-forum-meetings",
        summary="Tell us about coming to parent forum meetings.",
        why_asking="<p>We want more parents to come.</p>",
        what_happens_next="<p>We will change the meetings.</p>",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
        sms_keyword="FORUMS",
        anonymity=Anonymity.LINKED,
        ask_about_you=False,
        questions=[
            {
                "type": "single_choice",
                "value": {
                    "label": QUESTION,
                    "hint": "",
                    "required": True,
                    "code": "forum",
                    "show_if": {},
                    "choices": [{"label": "Yes", "key": "yes"}, {"label": "No", "key": "no"}],
                },
                "id": "5b0c1d2e-0000-4000-8000-000000000001",
            }
        ],
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return ConsultationPage.objects.get(pk=page.pk)


def _link_in(message, path):
    return re.search(rf"https?://\S+{path}[^\s]+/", message.body).group(0)


def test_every_parent_who_asked_is_told_once_on_their_channel(
    page, live_server, transactional_db, home_page, client, staff_login, run_tasks, settings, docs_screenshot
):
    from feedback_loop.models import Decision

    site_url = live_server.url
    settings.WAGTAILADMIN_BASE_URL = site_url  # confirmation links and the texting webhook's signature
    settings.SMS_PROVIDER = "outbox"
    settings.WAGTAIL_AUTO_UPDATE_PREVIEW_INTERVAL = 0
    consultation = _consultation(home_page)
    topic = f"consultation:{consultation.pk}"
    page.set_viewport_size({"width": 1280, "height": 900})

    # 1. The web: the open link, no invitation. The confirmation page offers "Tell me what you decide".
    page.goto(site_url + consultation.url)
    page.get_by_role("button", name=re.compile("Start now")).click()
    expect(page.locator("h1")).to_contain_text(QUESTION)
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/check-your-answers/$"))
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Your reference")
    expect(page.get_by_role("heading", name="Tell me what you decide")).to_be_visible()
    _no_axe_violations(page)  # the done page with the form
    docs_screenshot(page, "tell-me-what-you-decide.png", full_page=True)
    tell = page.locator(
        "form", has=page.get_by_role("group", name="Do you want us to tell you what we decide?")
    )
    tell.get_by_label("By email").check()
    tell.get_by_label("Email address").fill(WEB_EMAIL)
    tell.get_by_role("button", name="Continue").click()
    expect(page.locator("main")).to_contain_text(
        "We have sent a link to w•••@example.org: open it to confirm"
    )
    _no_axe_violations(page)  # after asking
    assert not FollowRequest.objects.exists()  # nothing until the address's owner confirms

    confirmation = Message.objects.get(recipient=WEB_EMAIL)
    assert "Parent forum meetings" in confirmation.body
    page.goto(_link_in(confirmation, "/confirm/"))
    _no_axe_violations(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("main")).to_contain_text("Parent forum meetings")
    web = FollowRequest.objects.get(topic=topic)
    assert (web.channel, web.route) == (Channel.EMAIL, FollowRoute.WEB)

    # 2. A text: the keyword, the answer, then YES to the thank-you's offer.
    phone = Client()
    assert QUESTION in text(phone, settings, "FORUMS", phone=TEXTER)
    thanks = text(phone, settings, "2", phone=TEXTER)
    assert "Reply YES to get a text when we decide" in thanks
    assert "We will text you when we decide" in text(phone, settings, "YES", phone=TEXTER)
    by_text = FollowRequest.objects.get(topic=topic, route=FollowRoute.SMS)
    assert by_text.channel == Channel.SMS and str(by_text.contact.mobile) == TEXTER

    # 3. Paper: the officer keys a response whose respondent asked to be told by text.
    staff_login(CONSULTATION_OFFICERS)
    officer_cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site_url}
    page.context.add_cookies([officer_cookie])
    page.goto(f"{site_url}/admin/consultations/{consultation.pk}/paper/")
    page.get_by_label("Yes", exact=True).check()  # the question's answer ("No" is on both)
    page.get_by_label("By text message").check()
    page.get_by_label("Their UK mobile number (if by text)").fill("07700 900602")
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.locator(".messages")).to_contain_text("A confirmation was sent to")
    assert not FollowRequest.objects.filter(route=FollowRoute.PAPER).exists()
    ask = Message.objects.get(recipient=PAPER_MOBILE)
    assert "Reply YES" in ask.body
    text(Client(), settings, "YES", phone=PAPER_MOBILE)
    on_paper = FollowRequest.objects.get(topic=topic, route=FollowRoute.PAPER)
    assert on_paper.channel == Channel.SMS

    # 4. What parents said, and a decision published after "This will tell 3 people".
    editor.start_item(page, site_url, consultation)
    page.get_by_role("group", name=QUESTION).get_by_label(
        "No (2)"
    ).check()  # the web and text answers; paper said Yes
    editor.more_actions(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_contain_text("published")

    editor.press_publish_decision(page, site_url, DECISION, told=3)
    page.get_by_role("button", name="Publish and tell 3 people").click()
    expect(page.locator(".messages")).to_contain_text("being told")
    decision = Decision.objects.get()
    assert decision.live

    # 5. The outbox: one outcome message to each of the three, on their channel, sent.
    page.goto("about:blank")
    run_tasks()
    outcomes = list(Message.objects.filter(campaign__outcome_notices__decision=decision))
    by_contact = {m.contact_id: m for m in outcomes}
    assert len(outcomes) == len(by_contact) == 3
    assert {c: m.channel for c, m in by_contact.items()} == {
        web.contact_id: Channel.EMAIL,
        by_text.contact_id: Channel.SMS,
        on_paper.contact_id: Channel.SMS,
    }
    for message in outcomes:
        assert message.status in (MessageStatus.SENT, MessageStatus.DELIVERED)
        assert DECISION in message.body


def test_booking_with_the_box_ticked_says_what_happens(page, site_url):
    from forums.models import EventPage

    event = EventPage.objects.filter(booking_required=True, start__gt=timezone.now()).first()
    page.goto(site_url + event.url)
    page.get_by_role("button", name="Book a place").click()
    page.get_by_label("Your name").fill("Sam")
    page.get_by_label("Email address").fill("sam.booker@example.org")
    _no_axe_violations(page)  # the form with the box
    page.get_by_label("Tell me what happens because of this meeting").check()
    page.get_by_role("button", name="Book").click()
    expect(page.locator("h1")).to_have_text("Your place is booked")
    expect(page.locator("main")).to_contain_text("We have sent a link to s•••@example.org")
    _no_axe_violations(page)  # after asking
    assert Message.objects.filter(recipient="sam.booker@example.org", body__contains="/confirm/").exists()
