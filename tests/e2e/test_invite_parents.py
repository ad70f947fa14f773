"""An officer invites parents to a consultation in the real admin, on an empty site: "Invite parents"
on the results page, a forum's members as the audience, a reminder, then "Check and send"."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from messaging.choices import CampaignKind, CampaignStatus
from messaging.models import Campaign
from parentvoice.accounts import roles
from surveys.demo import SUPPORT_QUESTIONS
from surveys.models import ConsultationIndexPage, ConsultationPage
from tests.factories import ConsentingParentFactory, MembershipFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def empty_site(live_server, transactional_db, home_page):
    from forums.models import ForumIndexPage, ForumPage

    index = ConsultationIndexPage(title="Have your say", slug="have-your-say")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    consultation = ConsultationPage(
        title="Support for parents",
        slug="support",
        summary="Tell us what helps.",
        why_asking="<p>Because.</p>",
        what_happens_next="<p>We will report back.</p>",
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=14),
        sms_keyword="SUPPORT",
        ask_about_you=False,
        questions=SUPPORT_QUESTIONS,
    )
    index.add_child(instance=consultation)
    consultation.save_revision().publish()
    fora = ForumIndexPage(title="Parent fora", slug="parent-fora")
    home_page.add_child(instance=fora)
    fora.save_revision().publish()
    forum = ForumPage(
        kind="county",
        title="Dover parent forum",
        slug="dover",
        summary="Parents shaping services.",
        who_for="Parents and carers",
        how_it_works="<p>We meet.</p>",
        meeting_pattern="Monthly",
    )
    fora.add_child(instance=forum)
    forum.save_revision().publish()
    for n in range(3):
        contact = ConsentingParentFactory(name=f"Parent {n}", mobile=f"+4477009005{n:02d}")
        if n < 2:
            MembershipFactory(forum=forum, contact=contact)
    return live_server.url, consultation, forum


def test_officer_invites_a_forums_members_with_a_reminder(
    page, empty_site, client, staff_login, docs_screenshot
):
    site_url, consultation, forum = empty_site
    staff_login(roles.CONSULTATION_OFFICERS)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site_url}]
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}/admin/consultations/{consultation.pk}/results/")
    page.get_by_role("button", name="Invite parents").click()

    campaign = Campaign.objects.get()
    expect(page).to_have_url(f"{site_url}/admin/snippets/messaging/campaign/edit/{campaign.pk}/")
    page.locator("#id_audience_source").select_option(f"forum:{forum.pk}")
    page.locator("#id_send_email").uncheck()
    page.locator("#id_reminder_days_before").fill("3")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("updated")).to_be_visible()

    page.goto(f"{site_url}/admin/messaging/campaigns/{campaign.pk}/send/")
    expect(page.get_by_text("Members of a parent forum: Dover parent forum")).to_be_visible()
    expect(page.get_by_text("One reminder will go at")).to_be_visible()
    docs_screenshot(page, "invite-parents-check-and-send.png", full_page=True)
    page.get_by_role("button", name="Send to 2 people").click()

    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PREPARING
    assert Campaign.objects.get(reminder_for=campaign).kind == CampaignKind.REMINDER
