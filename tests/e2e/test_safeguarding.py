"""Issue 15's safeguarding review, on an empty site, in a real browser: a parent is told before they
write free text that we will pass on a child at risk, writes a disclosure on the web, and the screening
task opens a case; the lead is emailed a link (never the text), opens the queue and the case, records a
referral to the front door and closes it with an outcome. Meanwhile the officer reading the answers and
their exports sees "Held for safeguarding review" in its place, and neither an officer nor a forum
coordinator can open the case. An officer flags a text by hand from where they read it, and the case
reaches the lead. On a site with no term list at all, the lead writes a term in the admin and the next
text with it reaches them."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from parentvoice.accounts.roles import CONSULTATION_OFFICERS, FORUM_COORDINATORS, SAFEGUARDING_LEADS

pytestmark = pytest.mark.e2e

QUESTION = "Is there anything else you want to tell us?"
DISCLOSURE = "My partner hits me and the children are scared"
ORDINARY = "The bus to the meetings is always late"
WORRY = "Nobody picks my son up from the meeting and he walks home in the dark"  # matches no term
LEAD_EMAIL = "safeguarding@example.org"


def _no_axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    from tests.e2e.conftest import WCAG_TAGS

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def _starting_terms():
    """The term list the migration seeds (a transactional test's flush removes migration data)."""
    from parentvoice.safeguarding.starting_terms import seed_starting_terms

    seed_starting_terms()


def _consultation(home_page):
    """An open consultation with one free-text question, as an officer would have published it."""
    from surveys.models import ConsultationIndexPage, ConsultationPage

    index = ConsultationIndexPage(title="Have your say", slug="have-your-say")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    now = timezone.now()
    page = ConsultationPage(
        title="Parent forum meetings",
        slug="parent-forum-meetings",
        summary="Tell us about coming to parent forum meetings.",
        why_asking="<p>We want more parents to come.</p>",
        what_happens_next="<p>We will change the meetings.</p>",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
        ask_about_you=False,
        questions=[
            {
                "type": "free_text",
                "value": {
                    "label": QUESTION,
                    "hint": "",
                    "required": True,
                    "code": "anything-else",
                    "show_if": {},
                    "max_length": 1000,
                },
                "id": "5b0c1d2e-0000-4000-8000-000000000015",
            }
        ],
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return ConsultationPage.objects.get(pk=page.pk)


def _answer(page, site_url, consultation, words, *, check_notice=False):
    """A parent answers the consultation on the web with these words (a new parent: no cookies)."""
    page.context.clear_cookies()
    page.goto(site_url + consultation.url)
    page.get_by_role("button", name=re.compile("Start now")).click()
    expect(page.locator("h1")).to_contain_text(QUESTION)
    if check_notice:
        main = page.locator("main")
        expect(main).to_contain_text("we will pass it on to keep them safe")
        expect(main).to_contain_text("If a child is in danger now, call 999")
        _no_axe_violations(page)
    page.get_by_label(QUESTION).fill(words)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/check-your-answers/$"))
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Your reference")


def _site(settings, live_server):
    settings.WAGTAILADMIN_BASE_URL = live_server.url  # links in emails
    settings.SMS_PROVIDER = "outbox"


def test_a_disclosure_on_the_web_reaches_the_lead_and_is_held_from_everyone_else(
    page, live_server, transactional_db, home_page, signed_in, run_tasks, settings
):
    from parentvoice.safeguarding.choices import CaseOutcome, CaseStatus
    from parentvoice.safeguarding.models import Case
    from surveys.models import Answer

    _site(settings, live_server)
    site_url = live_server.url
    _starting_terms()
    consultation = _consultation(home_page)
    lead = signed_in(SAFEGUARDING_LEADS, LEAD_EMAIL)
    officer = signed_in(CONSULTATION_OFFICERS, "officer@example.org")
    coordinator = signed_in(FORUM_COORDINATORS, "coordinator@example.org")

    # 1. Two parents answer on the web; the free-text question tells them first what we do with it.
    _answer(page, site_url, consultation, DISCLOSURE, check_notice=True)
    _answer(page, site_url, consultation, ORDINARY)
    page.goto("about:blank")
    mail.outbox.clear()
    run_tasks()

    disclosure = Answer.objects.get(text=DISCLOSURE)
    case = Case.objects.get()
    assert (case.source_kind, case.source_id, case.status) == (
        "surveys.answer",
        disclosure.pk,
        CaseStatus.NEW,
    )
    assert not Case.objects.filter(source_id=Answer.objects.get(text=ORDINARY).pk).exists()

    # 2. The lead is emailed a link to the case, and nothing of what the parent wrote.
    to_lead = [email for email in mail.outbox if email.to == [LEAD_EMAIL]]
    assert len(to_lead) == 1, [(e.to, e.subject) for e in mail.outbox]
    body = to_lead[0].body
    link = re.search(rf"{re.escape(site_url)}/admin/\S+", body).group(0)
    assert link.rstrip("/").endswith(str(case.pk))
    for words in ("partner", "hits", "scared", "children"):
        assert words not in body.lower() and words not in to_lead[0].subject.lower()
    assert not [
        email for email in mail.outbox if set(email.to) & {"officer@example.org", "coordinator@example.org"}
    ]

    # 3. The officer reading the answers, and their downloads, sees it held; the other answer as it is.
    officer.goto(f"{site_url}/admin/consultations/{consultation.pk}/results/")
    expect(officer.locator("main, #main").first).not_to_contain_text(DISCLOSURE)
    officer.goto(
        f"{site_url}/admin/consultations/{consultation.pk}/results/free-text/{disclosure.question_id}/"
    )
    main = officer.locator("main, #main").first
    expect(main).to_contain_text("Held for safeguarding review")
    expect(main).to_contain_text(ORDINARY)
    expect(main).not_to_contain_text(DISCLOSURE)
    export = officer.request.get(f"{site_url}/admin/consultations/{consultation.pk}/export.csv")
    assert export.ok
    csv = export.text()
    assert ORDINARY in csv and DISCLOSURE not in csv and "Held for safeguarding review" in csv
    excel = officer.request.get(f"{site_url}/admin/consultations/{consultation.pk}/export.xlsx")
    assert excel.ok
    from openpyxl import load_workbook

    cells = [
        str(cell)
        for sheet in load_workbook(io.BytesIO(excel.body()), read_only=True).worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    assert ORDINARY in cells and "Held for safeguarding review" in cells
    assert not [cell for cell in cells if "partner hits" in cell]

    # 4. The officer and the coordinator cannot open the case or the queue, even with the link.
    for someone in (officer, coordinator):
        for url in (link, f"{site_url}/admin/safeguarding/"):
            response = someone.goto(url)
            if response.status != 403:  # Wagtail's admin sends them home with a message instead
                assert "/safeguarding/" not in someone.url, (url, response.status)
                expect(someone.locator(".messages")).to_contain_text("do not have permission")
            expect(someone.locator("body")).not_to_contain_text(DISCLOSURE)
            expect(someone.locator("body")).not_to_contain_text(f"Case {case.pk}")

    # 5. The lead opens Safeguarding, sees the case in the queue, opens it and reads the text.
    lead.goto(f"{site_url}/admin/")
    expect(
        lead.locator("#safeguarding-cases-heading + *, .w-panel", has_text="Safeguarding").first
    ).to_contain_text("1 case open")
    lead.get_by_role("button", name="Safeguarding", exact=True).click()  # the menu
    lead.get_by_role("link", name="Cases").click()
    expect(lead).to_have_url(re.compile(r"/admin/safeguarding/"))
    queue = lead.locator("main, #main").first
    expect(queue).to_contain_text("Parent forum meetings")
    expect(queue).not_to_contain_text(DISCLOSURE)  # the queue names the text; the case shows it
    _no_axe_violations(lead)
    lead.get_by_role("link", name=f"Case {case.pk}", exact=True).click()
    expect(lead.locator("main, #main").first).to_contain_text(DISCLOSURE)
    _no_axe_violations(lead)
    # Every view is in the audit log, naming the lead and not the words.
    from parentvoice.safeguarding.models import CaseLogEntry

    views = CaseLogEntry.objects.filter(action="safeguarding.case_viewed", case_id=case.pk)
    assert list(views.values_list("user__email", flat=True)) == [LEAD_EMAIL]
    assert DISCLOSURE not in str(list(CaseLogEntry.objects.values_list("data", "label")))

    # 6. The lead records the referral with a note, then closes the case with an outcome.
    action = lead.locator("form", has=lead.get_by_role("group", name="What did you do?"))
    action.get_by_label("Referred to the front door (MASH)").check()
    action.get_by_label("Note (optional)").fill("Rang the front door at 10:15, reference FD-42.")
    action.get_by_role("button").click()
    expect(lead.locator(".messages")).to_contain_text("Action recorded")
    expect(lead.locator("main, #main").first).to_contain_text(
        "Rang the front door at 10:15, reference FD-42."
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.REVIEWING and case.reviewed_at is not None

    close = lead.locator("form", has=lead.get_by_role("group", name="Outcome"))
    close.get_by_label("Referred to the front door (MASH)").check()
    close.get_by_label("Note (optional)").fill("Front door took it on.")
    close.get_by_role("button").click()
    expect(lead.locator(".messages")).to_contain_text("Case closed")
    case.refresh_from_db()
    assert (case.status, case.outcome, case.released) == (CaseStatus.CLOSED, CaseOutcome.REFERRED, False)
    assert case.closed_by.email == LEAD_EMAIL
    assert case.actions.get(kind="closed").note == "Front door took it on."
    assert list(case.actions.values_list("kind", flat=True).order_by("at", "pk")) == ["referred", "closed"]

    # Referred, not cleared: the officer still sees it held.
    officer.goto(
        f"{site_url}/admin/consultations/{consultation.pk}/results/free-text/{disclosure.question_id}/"
    )
    expect(officer.locator("main, #main").first).to_contain_text("Held for safeguarding review")
    expect(officer.locator("main, #main").first).not_to_contain_text(DISCLOSURE)


def test_an_officer_flags_a_text_by_hand_where_they_read_it_and_the_lead_gets_the_case(
    page, live_server, transactional_db, home_page, signed_in, run_tasks, settings
):
    from parentvoice.safeguarding.choices import FlaggedBy
    from parentvoice.safeguarding.models import Case
    from surveys.models import Answer

    _site(settings, live_server)
    site_url = live_server.url
    _starting_terms()
    consultation = _consultation(home_page)
    lead = signed_in(SAFEGUARDING_LEADS, LEAD_EMAIL)
    officer = signed_in(CONSULTATION_OFFICERS, "officer@example.org")

    _answer(page, site_url, consultation, WORRY)
    page.goto("about:blank")
    run_tasks()
    assert not Case.objects.exists()  # no term matched: only a person can see the worry in it
    worry = Answer.objects.get(text=WORRY)

    answers_url = f"{site_url}/admin/consultations/{consultation.pk}/results/free-text/{worry.question_id}/"
    officer.goto(answers_url)
    row = officer.locator("tr", has_text=WORRY)
    row.get_by_text("Add a reason (optional)").click()
    row.get_by_label("Why are you worried?").fill("A child walking home alone at night.")
    row.get_by_role("button", name="Flag a safeguarding concern").click()
    expect(officer.locator(".messages")).to_contain_text("Flagged for a safeguarding lead")
    main = officer.locator("main, #main").first
    expect(main).to_contain_text("Held for safeguarding review")
    expect(main).not_to_contain_text(WORRY)

    case = Case.objects.get()
    assert (case.source_kind, case.source_id, case.flagged_by) == ("surveys.answer", worry.pk, FlaggedBy.HAND)
    assert case.flagged_by_user.email == "officer@example.org"
    assert case.flag_reason == "A child walking home alone at night."

    mail.outbox.clear()
    run_tasks()
    assert [email.to for email in mail.outbox] == [[LEAD_EMAIL]]
    assert "walks home" not in mail.outbox[0].body

    lead.goto(f"{site_url}/admin/safeguarding/")
    lead.locator(f"a[href$='/{case.pk}/']").first.click()
    expect(lead.locator("main, #main").first).to_contain_text(WORRY)


def test_a_lead_adds_a_term_in_the_admin_and_the_next_text_with_it_reaches_them(
    page, live_server, transactional_db, home_page, signed_in, run_tasks, settings
):
    """From an empty site: no term list at all until the lead writes one in the admin."""
    from parentvoice.safeguarding.models import Case, ConcernTerm

    _site(settings, live_server)
    site_url = live_server.url
    consultation = _consultation(home_page)
    ConcernTerm.objects.all().delete()
    lead = signed_in(SAFEGUARDING_LEADS, LEAD_EMAIL)

    lead.goto(f"{site_url}/admin/")
    lead.get_by_role("button", name="Safeguarding", exact=True).click()
    lead.get_by_role("link", name="Concern terms").click()
    lead.get_by_role("link", name=re.compile("Add concern term")).first.click()
    lead.get_by_role("textbox", name="Phrase").fill("Walks home in the dark")
    lead.get_by_role("combobox", name="Category").select_option(label="Neglect")
    lead.get_by_role("button", name="Save").first.click()
    expect(lead.locator("main, #main").first).to_contain_text("Walks home in the dark")
    assert ConcernTerm.objects.get().phrase == "Walks home in the dark"

    _answer(page, site_url, consultation, WORRY)
    page.goto("about:blank")
    mail.outbox.clear()
    run_tasks()
    case = Case.objects.get()
    assert case.matched_terms == ["Walks home in the dark"]
    assert [email.to for email in mail.outbox] == [[LEAD_EMAIL]]
    lead.goto(f"{site_url}/admin/safeguarding/")
    expect(lead.locator("main, #main").first).to_contain_text(f"Case {case.pk}")
