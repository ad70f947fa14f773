"""Issue 16 in a real browser, each test from an empty site (no demo content): what an officer makes in
the admin is what the feature works on.

1. The action plan: an officer adds a priority and two actions (Action plan menu) and ticks an action
   lead under "Who reports on it" on one; the lead signs in (password and authenticator code), sees only
   that action on "My actions", reports it amber with a reason, and is refused the other action's report.
2. Partner links: an officer adds a partner, makes its link on the consultation's "Partner links" page;
   a parent follows /p/<code>/ and answers on the web; the officer sees "fewer than 5" answers for it.
3. Reach: an officer enters a county benchmark (fathers 45%) under Reach > Benchmarks; with mostly
   mothers answering, "Reach and equality" flags fathers as under-represented.
4. Reports: an officer adds a district and makes its report; the task worker builds the PDF, the officer
   is emailed a link, and "Download PDF" downloads a PDF.
"""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from parentvoice.accounts.roles import ACTION_LEADS, CONSULTATION_OFFICERS

pytestmark = pytest.mark.e2e

OFFICER_EMAIL = "officer@example.org"
LEAD_EMAIL = "lead@example.org"
LEAD_PASSWORD = "a-long-test-password"
LED = "Run money advice sessions in every children's centre."
NOT_LED = "Train health visitors to talk about money worries."
REASON = "The venue closed in March; sessions move to the library from June."
QUESTION = "Have you been to a parent forum meeting?"
QUESTION_ID = "5b0c1d2e-0000-4000-8000-000000000016"
PARTNER = "Riverside Children's Centre"


def _no_axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    from tests.e2e.conftest import WCAG_TAGS

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def _consultation(home_page, **fields):
    """An open consultation with one yes/no question, as an officer would have published it."""
    from surveys.models import ConsultationIndexPage, ConsultationPage

    index = ConsultationIndexPage(title="Have your say", slug="have-your-say")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    now = timezone.now()
    values = {
        "title": "Parent forum meetings",
        "slug": "parent-forum-meetings",
        "summary": "Tell us about coming to parent forum meetings.",
        "why_asking": "<p>We want more parents to come.</p>",
        "what_happens_next": "<p>We will change the meetings.</p>",
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=10),
        "ask_about_you": False,
        "questions": [
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
                "id": QUESTION_ID,
            }
        ],
    }
    page = ConsultationPage(**{**values, **fields})
    index.add_child(instance=page)
    page.save_revision().publish()
    return index, ConsultationPage.objects.get(pk=page.pk)


def _menu(page, site_url, menu, item):
    """Open the admin's sidebar menu `menu` and follow its `item`."""
    page.goto(f"{site_url}/admin/")
    page.get_by_role("button", name=menu, exact=True).click()
    page.get_by_role("link", name=item, exact=True).click()


def _add_action(page, number, text, *, lead_label=None):
    """On the Actions listing: add action `number` under priority 1, ticking the lead if given."""
    page.get_by_role("link", name=re.compile(r"^Add action")).first.click()
    expect(page).to_have_url(re.compile(r"/admin/snippets/feedback_loop/action/add/$"))
    page.locator("[data-contentpath='priority']").get_by_role("button", name=re.compile("Choose")).click()
    page.locator(".modal").get_by_role("link", name=re.compile("Reducing poverty")).click()
    expect(page.locator("[data-contentpath='priority']")).to_contain_text("Reducing poverty")
    page.locator("#id_number").fill(str(number))
    page.locator("#id_text").fill(text)
    page.locator("#id_lead_job_title").fill("Parenting Strategy Manager")
    expect(page.get_by_text("Who reports on it", exact=True).first).to_be_visible()
    leads = page.locator("[data-contentpath='lead_users']")
    if lead_label:
        leads.get_by_label(lead_label).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("created")


def _sign_in_with_code(page, site_url, email, password, secret):
    """Sign in through the sign-in page, then the authenticator app's code, as a person would."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    page.goto(f"{site_url}/accounts/login/?next=/admin/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    code_box = page.locator("input[name='code']")
    expect(code_box).to_be_visible()
    if 30 - time.time() % 30 < 3:  # no tolerance for the code before: never type one as it runs out
        time.sleep(3)
    counter = int(time.time()) // 30
    code_box.fill(format_hotp_value(hotp_value(secret, counter)))
    code_box.press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/$"))


# --- 1. The action plan and its leads --------------------------------------------------------


def test_an_action_lead_reports_amber_on_their_own_action_only(
    live_server, transactional_db, home_page, signed_in, new_browser, make_user
):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from feedback_loop.models import Action

    site = live_server.url
    officer = signed_in(CONSULTATION_OFFICERS, OFFICER_EMAIL)
    lead_user = make_user(
        email=LEAD_EMAIL, password=LEAD_PASSWORD, groups=[ACTION_LEADS], first_name="Lee", last_name="Lead"
    )
    secret = generate_totp_secret()
    TOTP.activate(lead_user, secret)

    # 1. The officer adds a priority through the "Action plan" menu.
    _menu(officer, site, "Action plan", "Priorities")
    expect(officer).to_have_url(re.compile(r"/admin/snippets/feedback_loop/priority/$"))
    officer.get_by_role("link", name=re.compile(r"^Add priority")).first.click()
    officer.locator("#id_number").fill("1")
    officer.locator("#id_title").fill("Reducing poverty")
    officer.locator("#id_lead_job_title").fill("Head of Early Intervention")
    officer.get_by_role("button", name="Save").click()
    expect(officer.locator(".messages")).to_contain_text("created")

    # 2. Two actions under it: the lead reports on the first only.
    _menu(officer, site, "Action plan", "Actions")
    expect(officer).to_have_url(re.compile(r"/admin/snippets/feedback_loop/action/$"))
    _add_action(officer, 1, LED, lead_label=f"Lee Lead ({LEAD_EMAIL})")
    _menu(officer, site, "Action plan", "Actions")
    _add_action(officer, 2, NOT_LED)
    led, not_led = Action.objects.get(number=1), Action.objects.get(number=2)
    assert list(led.lead_users.all()) == [lead_user]
    assert not not_led.lead_users.exists()

    # 3. The lead signs in and opens "My actions": their action, and not the other.
    lead = new_browser()
    _sign_in_with_code(lead, site, LEAD_EMAIL, LEAD_PASSWORD, secret)
    lead.get_by_role("link", name="My actions", exact=True).click()
    expect(lead).to_have_url(re.compile(r"/admin/action-plan/my-actions/$"))
    main = lead.locator("main, #main").first
    expect(main).to_contain_text("These are the actions you report on.")
    expect(main).to_contain_text(LED)
    expect(main).to_contain_text("1.1")
    expect(main).not_to_contain_text(NOT_LED)
    expect(main).not_to_contain_text("1.2")
    _no_axe_violations(lead)

    # 4. The lead reports amber with the reason.
    lead.get_by_role("link", name="Report progress on action 1.1").click()
    expect(lead).to_have_url(re.compile(rf"/admin/action-plan/actions/{led.pk}/report/$"))
    _no_axe_violations(lead)
    lead.get_by_label("Amber: at risk").check()
    lead.get_by_label("Commentary").fill(REASON)
    lead.get_by_role("button", name="Send report").click()
    expect(lead).to_have_url(re.compile(r"/admin/action-plan/my-actions/$"))
    expect(lead.locator(".messages")).to_contain_text("Progress on action 1.1 reported: Amber: at risk.")
    expect(lead.locator("main, #main").first.locator("table")).to_contain_text("Amber: at risk")
    report = led.reports.get()
    assert (report.status, report.commentary, report.reported_by_id) == ("amber", REASON, lead_user.pk)

    # 5. The other action's report page, opened directly, is refused; nothing is recorded on it.
    url = f"{site}/admin/action-plan/actions/{not_led.pk}/report/"
    response = lead.goto(url)
    if response.status != 403:  # Wagtail's admin may send them home with a message instead
        assert "/report/" not in lead.url, (url, response.status)
        expect(lead.locator(".messages")).to_contain_text("do not have permission")
    expect(lead.locator("body")).not_to_contain_text(NOT_LED)
    assert not not_led.reports.exists()
    # Nor can they send a report to it (the form's own CSRF token, from their own action's page).
    lead.goto(f"{site}/admin/action-plan/actions/{led.pk}/report/")
    token = lead.locator("input[name='csrfmiddlewaretoken']").first.get_attribute("value")
    posted = lead.request.post(
        url,
        form={"csrfmiddlewaretoken": token, "status": "green", "commentary": "", "reported_on": ""},
        headers={"Referer": url},
        max_redirects=0,
    )
    assert posted.status in (302, 403), posted.status
    assert not not_led.reports.exists()


# --- 2. Partner links --------------------------------------------------------------------------


def test_a_partner_link_counts_the_answer_that_came_through_it(
    live_server, transactional_db, home_page, signed_in, new_browser, settings
):
    from surveys.models import Partner, PartnerLink, Response

    site = live_server.url
    settings.WAGTAILADMIN_BASE_URL = site  # the link to copy is a full address
    index, consultation = _consultation(home_page)
    officer = signed_in(CONSULTATION_OFFICERS, OFFICER_EMAIL)

    # 1. The officer adds the partner (Partners menu).
    officer.goto(f"{site}/admin/")
    officer.get_by_role("link", name="Partners", exact=True).click()
    expect(officer).to_have_url(re.compile(r"/admin/snippets/surveys/partner/$"))
    officer.get_by_role("link", name=re.compile(r"^Add partner")).first.click()
    officer.locator("#id_name").fill(PARTNER)
    officer.locator("#id_kind").select_option(label="Children's centre")
    officer.get_by_role("button", name="Save").click()
    expect(officer.locator(".messages")).to_contain_text("created")
    partner = Partner.objects.get()

    # 2. From the consultation's "More" menu in the page listing, its Partner links page: make a link.
    officer.goto(f"{site}/admin/pages/{index.pk}/")
    officer.get_by_role("button", name="More options for 'Parent forum meetings'").click()
    officer.get_by_role("link", name="Partner links").click()
    expect(officer).to_have_url(re.compile(rf"/admin/consultations/{consultation.pk}/partner-links/$"))
    expect(officer.locator("main, #main").first).to_contain_text(
        "No partner has a link to this consultation yet."
    )
    _no_axe_violations(officer)
    officer.get_by_label("Partner").select_option(label=PARTNER)
    officer.get_by_role("button", name="Make a link").click()
    expect(officer.locator(".messages")).to_contain_text(f"Link made for {PARTNER}")
    link = PartnerLink.objects.get()
    assert (link.partner_id, link.consultation_id) == (partner.pk, consultation.pk)
    url = officer.get_by_label(f"Link for {PARTNER}").input_value()
    assert url == f"{site}/p/{link.code}/"
    row = officer.locator("table tbody tr", has_text=PARTNER)
    expect(row.locator("td").last).to_have_text("0")
    officer.reload()  # no flash message: mid fade-in, axe measures its paler green as low contrast
    _no_axe_violations(officer)

    # 3. A parent (no account, no cookies) follows the link and answers on the web.
    parent = new_browser()
    parent.goto(url)
    expect(parent).to_have_url(site + consultation.url)
    expect(parent.locator("h1")).to_have_text("Parent forum meetings")
    expect(parent.locator("body")).not_to_contain_text(PARTNER)  # never shown to the parent
    _no_axe_violations(parent)
    parent.get_by_role("button", name=re.compile("Start now")).click()
    expect(parent.locator("h1, legend").first).to_contain_text(QUESTION)
    _no_axe_violations(parent)
    parent.get_by_label("Yes", exact=True).check()
    parent.get_by_role("button", name="Continue").click()
    expect(parent).to_have_url(re.compile(r"/check-your-answers/$"))
    _no_axe_violations(parent)
    parent.get_by_role("button", name="Send my answers").click()
    expect(parent.locator(".govuk-panel")).to_contain_text("Your reference")
    expect(parent.locator("body")).not_to_contain_text(PARTNER)
    _no_axe_violations(parent)
    response = Response.objects.get()
    assert (response.partner_id, response.channel, response.status) == (partner.pk, "web", "complete")

    # 4. The officer's Partner links page counts it, as "fewer than 5".
    officer.reload()
    row = officer.locator("table tbody tr", has_text=PARTNER)
    expect(row.locator("td").last).to_have_text("fewer than 5")


# --- 3. Reach against a benchmark ------------------------------------------------------------


def test_fathers_are_flagged_under_represented_against_the_officers_benchmark(
    live_server, transactional_db, home_page, signed_in
):
    from surveys import about_you, services
    from surveys.models import ReachBenchmark

    site = live_server.url
    officer = signed_in(CONSULTATION_OFFICERS, OFFICER_EMAIL)

    # 1. Reach > Benchmarks.
    _menu(officer, site, "Reach", "Benchmarks")
    expect(officer).to_have_url(re.compile(r"/admin/snippets/surveys/reachbenchmark/$"))

    # 2. The officer enters the county's share of fathers.
    officer.get_by_role("link", name=re.compile(r"^Add reach benchmark")).first.click()
    officer.locator("#id_dimension").select_option(label="Parent role")
    officer.locator("#id_value").fill("father")
    officer.locator("#id_share").fill("45")
    officer.locator("#id_source").fill("Census 2021")
    officer.get_by_role("button", name="Save").click()
    expect(officer.locator(".messages")).to_contain_text("created")
    benchmark = ReachBenchmark.objects.get()
    assert (benchmark.district_id, benchmark.dimension, benchmark.value, float(benchmark.share)) == (
        None,
        "parent_role",
        "father",
        45.0,
    )

    # 3. Twenty parents answer, most of them mothers: fathers are 30%, against 45%.
    _index, consultation = _consultation(home_page, ask_about_you=True)
    for role, n in (("mother", 14), ("father", 6)):
        for _ in range(n):
            services.submit_response(
                consultation, {QUESTION_ID: "yes", about_you.ROLE_ID: role}, channel="web"
            )

    # 4. "Reach and equality" flags fathers, in words.
    _menu(officer, site, "Reach", "Reach and equality")
    expect(officer).to_have_url(re.compile(r"/admin/reach/$"))
    main = officer.locator("main, #main").first
    summary = main.locator("section", has=officer.locator("#reach-summary"))
    expect(summary).to_contain_text("Under-represented:")
    expect(summary.locator("li", has_text="Father")).to_contain_text("30.0% against a benchmark of 45%")
    expect(summary).not_to_contain_text("Mother")
    row = main.locator("table", has_text="Parent role").first.locator("tbody tr", has_text="Father").first
    expect(row).to_contain_text("Under-represented")
    expect(row).to_contain_text("45% (County, Census 2021)")
    expect(row).to_contain_text("-15.0 points")
    _no_axe_violations(officer)


# --- 4. A district report and its PDF ---------------------------------------------------------


def test_a_district_report_is_made_its_pdf_built_in_a_task_and_the_link_emailed(
    live_server, transactional_db, home_page, signed_in, run_tasks, settings
):
    from feedback_loop.models import Report
    from parentvoice.models import District

    site = live_server.url
    settings.WAGTAILADMIN_BASE_URL = site  # the link in the email
    officer = signed_in(CONSULTATION_OFFICERS, OFFICER_EMAIL)

    # 1. The district, added by the officer (Districts menu) on an empty site.
    officer.goto(f"{site}/admin/")
    officer.get_by_role("link", name="Districts", exact=True).click()
    officer.get_by_role("link", name=re.compile(r"^Add district")).first.click()
    officer.locator("#id_name").fill("Dover")
    officer.locator("#id_slug").fill("dover")
    officer.locator("#id_ons_code").fill("E07000108")
    officer.get_by_role("button", name="Save").click()
    expect(officer.locator(".messages")).to_contain_text("created")
    dover = District.objects.get()

    # 2. Reports > Make a report: a district report for Dover over the last full quarter.
    officer.goto(f"{site}/admin/")
    officer.get_by_role("link", name="Reports", exact=True).click()
    expect(officer).to_have_url(re.compile(r"/admin/reports/$"))
    officer.get_by_role("link", name="Make a report").click()
    expect(officer).to_have_url(re.compile(r"/admin/reports/new/$"))
    _no_axe_violations(officer)
    officer.get_by_label("District report").check()
    officer.get_by_label("District", exact=True).select_option(label="Dover")
    officer.get_by_role("button", name="Make the report").click()

    # 3. Its page, made now; the PDF is still being made.
    report = Report.objects.get()
    assert (report.kind, report.district_id, report.status) == ("district", dover.pk, "queued")
    expect(officer).to_have_url(re.compile(rf"/admin/reports/{report.pk}/$"))
    expect(officer.locator("h1")).to_have_text("Dover district report")
    expect(officer.locator("body")).to_contain_text("We will email you a link when its PDF is ready.")
    expect(officer.locator("body")).to_contain_text("The PDF is being made.")
    expect(officer.get_by_role("link", name="Download PDF")).to_have_count(0)
    _no_axe_violations(officer)

    # 4. The task worker builds the PDF and emails the officer the link (and no figures).
    officer.goto("about:blank")
    mail.outbox.clear()
    statuses = run_tasks()
    assert statuses.get("FAILED", 0) == 0, statuses
    report.refresh_from_db()
    assert report.status == "ready", report.error
    to_officer = [email for email in mail.outbox if email.to == [OFFICER_EMAIL]]
    assert len(to_officer) == 1, [(e.to, e.subject) for e in mail.outbox]
    link = f"{site}/admin/reports/{report.pk}/"
    assert link in to_officer[0].body, to_officer[0].body
    assert "Dover district report" in to_officer[0].body

    # 5. The emailed link, refreshed: "Download PDF" downloads the PDF.
    officer.goto(link)
    expect(officer.locator("h1")).to_have_text("Dover district report")
    download_link = officer.get_by_role("link", name="Download PDF")
    expect(download_link).to_be_visible()
    with officer.expect_download() as info:
        download_link.click()
    download = info.value
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.suggested_filename.startswith("district-report-dover-")
