"""The whole loop on an empty site (issue 13's "Done when"): an officer writes a consultation with a
follow-up question, previews and publishes it, invites parents by text and email with a reminder; one
parent answers on the web with their own link, another replies YES and answers by text, the reminder
reaches only the third; the results show both answers; an item and a decision are recorded and published
after "This will tell 2 people", and both parents get the outcome with the decision in it."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from messaging.choices import Channel, MessageStatus, Purpose
from messaging.models import Campaign, Message
from parentvoice.accounts.roles import CONSULTATION_OFFICERS
from tests.e2e import editor
from tests.factories import ConsentingParentFactory
from tests.surveys.texting import text

pytestmark = pytest.mark.e2e

FIRST = "Have you been to a parent forum meeting?"
FOLLOW_UP = "What stopped you coming?"
DECISION = "Forum meetings will also be held at 7pm."


def _contact(name, *, mobile=None, email=None):
    """A parent who agreed to hear about consultations and their outcomes on their one channel."""
    channel = Channel.SMS if mobile else Channel.EMAIL
    return ConsentingParentFactory(
        name=name,
        mobile=mobile,
        email=email,
        preferred_channel=channel,
        consents=[(channel, Purpose.CONSULTATIONS), (channel, Purpose.OUTCOMES)],
    )


def _run_tasks_due_before(run_tasks, moment):
    """Run the queued tasks due before `moment` (as if that time had come), leaving later ones."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(status="READY", run_after__lt=moment).update(
        run_after=timezone.now() - timedelta(seconds=1)
    )
    return run_tasks(due_only=True)


def _no_axe_violations(page, axe_violations):
    count, report = axe_violations(page)
    assert count == 0, f"{page.url}\n{report}"


def test_the_whole_loop_on_an_empty_site(
    docs_screenshot,
    page,
    live_server,
    transactional_db,
    home_page,
    client,
    staff_login,
    run_tasks,
    axe_violations,
    settings,
):
    from feedback_loop.models import Decision
    from surveys.models import ConsultationPage, Response

    site_url = live_server.url
    settings.WAGTAILADMIN_BASE_URL = site_url  # personal links and the texting webhook's signature
    settings.SMS_PROVIDER = "outbox"
    # Preview updates as fields change are background requests on the live server's shared SQLite
    # connection too (conftest turns off autosave and pings); the preview still loads when its panel opens.
    settings.WAGTAIL_AUTO_UPDATE_PREVIEW_INTERVAL = 0
    staff_login(CONSULTATION_OFFICERS)
    officer_cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site_url}
    page.context.add_cookies([officer_cookie])
    page.set_viewport_size({"width": 1280, "height": 900})

    # The officer makes the places consultations and decisions live, in the page editor.
    for model, title in (
        ("surveys/consultationindexpage", "Have your say"),
        ("feedback_loop/yousaidwedidpage", "You said, we did"),
    ):
        page.goto(f"{site_url}/admin/pages/add/{model}/{home_page.pk}/")
        page.locator("#id_title").fill(title)
        page.locator("#id_title").blur()  # the slug is made from the title when it changes
        expect(page.locator("#id_slug")).to_have_value(re.compile(r"\S"))  # made after a short delay
        editor.publish(page)
    from surveys.models import ConsultationIndexPage

    index = ConsultationIndexPage.objects.get()

    # 1. A consultation with a follow-up asked only after "No", an SMS keyword, opening and closing.
    page.goto(f"{site_url}/admin/pages/add/surveys/consultationpage/{index.pk}/")
    page.locator("#id_title").fill("Parent forum meetings")
    page.locator("#id_summary").fill("Tell us about coming to parent forum meetings.")
    expect(page.locator("#id_slug")).to_have_value("parent-forum-meetings")
    for name, words in (
        ("why_asking", "We want more parents to come."),
        ("what_happens_next", "We will change the meetings."),
    ):
        editor.fill_rich_text(page, name, words)
    now = timezone.localtime()
    page.locator("#id_opens_at").fill((now - timedelta(days=1)).strftime("%Y-%m-%d %H:%M"))
    page.locator("#id_closes_at").fill((now + timedelta(days=10)).strftime("%Y-%m-%d %H:%M"))
    page.keyboard.press("Escape")  # close the date picker
    page.locator("#id_sms_keyword").fill("forums")
    page.locator("#id_ask_about_you").uncheck()
    editor.add_question(page, FIRST, ["Yes", "No"])
    follow_up = editor.add_question(page, FOLLOW_UP, ["The time", "Getting there"])
    rule = follow_up.locator("[data-show-if]")
    rule.locator("select.pv-show-if__question").select_option(label=f"Question 1: {FIRST}")
    rule.locator("select.pv-show-if__answer").select_option(label="No")

    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.get_by_role("heading", level=1)).to_have_text("Parent forum meetings")
    expect(preview.get_by_text("Tell us about coming to parent forum meetings.").first).to_be_visible()
    expect(preview.locator("strong", has_text="FORUMS")).to_be_visible()  # as it will be published
    rule.scroll_into_view_if_needed()
    page.evaluate("document.activeElement.blur()")  # no tooltip in the picture
    page.mouse.move(600, 650)
    docs_screenshot(page, "consultation-editor-live-preview.png")
    page.get_by_role("button", name="Toggle preview").click()
    editor.publish(page)
    consultation = ConsultationPage.objects.get(slug="parent-forum-meetings")
    assert consultation.live and consultation.sms_keyword == "FORUMS"

    # 2. Three parents who agreed to hear about consultations: the officer invites them, by text and email,
    # with a reminder 3 days before the close.
    web = _contact("Ada", email="ada@example.org")
    texter = _contact("Bea", mobile="+447700900501")
    silent = _contact("Cal", mobile="+447700900502")

    # Publishing lands on the consultations' listing: "Invite parents" is one of the page's actions.
    page.get_by_role("button", name="More options for 'Parent forum meetings'").click()
    page.get_by_role("link", name="Invite parents").click()
    expect(page.get_by_text("reply YES to the text to answer by text message")).to_be_visible()
    docs_screenshot(page, "invite-parents-start.png")
    page.get_by_role("button", name="Invite parents").click()
    expect(page).to_have_url(re.compile(r"/admin/snippets/messaging/campaign/edit/\d+/$"))
    campaign = Campaign.objects.get()
    assert page.url.endswith(f"/edit/{campaign.pk}/")
    expect(page.locator("#id_send_sms")).to_be_checked()
    expect(page.locator("#id_send_email")).to_be_checked()
    page.locator("#id_reminder_days_before").fill("3")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("updated")).to_be_visible()
    page.goto(f"{site_url}/admin/messaging/campaigns/{campaign.pk}/send/")
    expect(page.get_by_text("One reminder will go at")).to_be_visible()
    page.get_by_role("button", name="Send to 3 people").click()
    expect(page.locator(".messages")).to_contain_text("is being sent")
    # The progress page refreshes itself while sending; leave it so the browser is idle as tasks run.
    page.goto("about:blank")
    reminder = Campaign.objects.get(reminder_for=campaign)

    # The invitations go out; the reminder's day has not come.
    _run_tasks_due_before(run_tasks, reminder.send_at - timedelta(hours=1))
    invitations = {m.contact_id: m for m in Message.objects.filter(campaign=campaign)}
    assert {c: m.channel for c, m in invitations.items()} == {
        web.pk: Channel.EMAIL,
        texter.pk: Channel.SMS,
        silent.pk: Channel.SMS,
    }
    assert "reply YES to answer by text" in invitations[texter.pk].body
    assert not reminder.messages.exists()

    # 3a. Ada opens her own link from the email and answers on the web, through the follow-up.
    page.context.clear_cookies()
    link = re.search(r"https?://\S+/invitation/\S+/", invitations[web.pk].body).group(0)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Parent forum meetings")
    _no_axe_violations(page, axe_violations)
    page.get_by_role("button", name=re.compile("Start now")).click()
    expect(page.locator("h1")).to_contain_text(FIRST)
    _no_axe_violations(page, axe_violations)
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_contain_text(FOLLOW_UP)
    _no_axe_violations(page, axe_violations)
    page.get_by_label("The time", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/check-your-answers/$"))
    _no_axe_violations(page, axe_violations)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Your reference")
    _no_axe_violations(page, axe_violations)
    assert Response.objects.get().contact_id == web.pk

    # 3b. Bea replies YES to her text and answers by text ("Yes": the follow-up is not asked).
    phone = Client()
    assert FIRST in text(phone, settings, "YES", phone=str(texter.mobile))
    assert FOLLOW_UP not in text(phone, settings, "1", phone=str(texter.mobile))
    by_text = Response.objects.get(channel="sms")
    assert by_text.contact_id == texter.pk

    # 4. The reminder's day comes: only Cal, who has not answered, gets it.
    run_tasks()
    assert [m.contact_id for m in Message.objects.filter(campaign=reminder)] == [silent.pk]

    # 5. The results show both answers.
    page.context.add_cookies([officer_cookie])
    page.goto(f"{site_url}/admin/consultations/{consultation.pk}/results/")
    expect(page.locator("main")).to_contain_text("2 responses")
    expect(page.get_by_role("heading", name=f"1. {FIRST}")).to_be_visible()

    # 6. A theme, a 'You said' item resting on the answers, and a decision told to both parents.
    editor.start_item(page, site_url, consultation)
    page.get_by_role("group", name=FIRST).get_by_label("No (1)").check()
    page.get_by_role("group", name=FOLLOW_UP).get_by_label("The time (1)").check()
    _no_axe_violations(page, axe_violations)
    editor.more_actions(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_contain_text("published")

    editor.press_publish_decision(page, site_url, DECISION, told=2)
    expect(page.locator("main")).to_contain_text(f"We agreed: {DECISION}")
    _no_axe_violations(page, axe_violations)
    page.get_by_role("button", name="Publish and tell 2 people").click()
    expect(page.locator(".messages")).to_contain_text("being told")
    decision = Decision.objects.get()
    assert decision.live

    run_tasks()
    outcomes = {m.contact_id: m for m in Message.objects.filter(campaign__outcome_notices__decision=decision)}
    assert {c: m.channel for c, m in outcomes.items()} == {web.pk: Channel.EMAIL, texter.pk: Channel.SMS}
    for message in outcomes.values():
        assert message.status in (MessageStatus.SENT, MessageStatus.DELIVERED)
        assert DECISION in message.body
    # Ada's email really went (the email backend's outbox), the decision in it.
    to_ada = [email.body for email in mail.outbox if email.to == ["ada@example.org"]]
    assert DECISION in to_ada[-1]
