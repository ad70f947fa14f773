"""Writing a consultation from an empty site in the real page editor: codes left blank, an
"Only ask if" picked from lists, and the public pages asking the follow-up only when it applies."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e import editor

pytestmark = pytest.mark.e2e
# Saving the editor form re-renders the whole editor: slow on a busy machine.
SAVING = 20_000


@pytest.fixture
def empty_site(live_server, transactional_db, home_page):
    """No demo content: a home page and the place consultations live, nothing else."""
    from surveys.models import ConsultationIndexPage

    index = ConsultationIndexPage(title="Have your say", slug="have-your-say")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return live_server.url, index


def _new_consultation(page, empty_site, client, staff_login):
    """The page editor's add form for a consultation, everything but the questions filled in."""
    site_url, index = empty_site
    staff_login(is_superuser=True, is_staff=True)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site_url}]
    )
    page.goto(f"{site_url}/admin/pages/add/surveys/consultationpage/{index.pk}/")
    page.locator("#id_title").fill("Parent forum meetings")
    page.locator("#id_summary").fill("Tell us about coming to parent forum meetings.")
    editor.fill_rich_text(page, "why_asking", "We want more parents to come.")
    editor.fill_rich_text(page, "what_happens_next", "We will change the meetings.")
    now = timezone.localtime()
    page.locator("#id_opens_at").fill((now - timedelta(days=1)).strftime("%Y-%m-%d %H:%M"))
    page.locator("#id_closes_at").fill((now + timedelta(days=10)).strftime("%Y-%m-%d %H:%M"))
    page.keyboard.press("Escape")  # close the date picker
    page.locator("#id_summary").click()
    page.locator("#id_ask_about_you").uncheck()
    return site_url


def test_officer_writes_a_follow_up_question_without_typing_codes(page, empty_site, client, staff_login):
    site_url = _new_consultation(page, empty_site, client, staff_login)
    editor.add_question(page, "Have you been to a parent forum meeting?", ["Yes", "No"])
    follow_up = editor.add_question(page, "What stopped you coming?", ["The time", "Getting there"])

    # The code is made from the wording as it is typed, under "Advanced".
    expect(follow_up.locator("input[name$='-value-code']")).to_have_value("what-stopped-you-coming")
    rule = follow_up.locator("[data-show-if]")
    rule.locator("select.pv-show-if__question").select_option(
        label="Question 1: Have you been to a parent forum meeting?"
    )
    rule.locator("select.pv-show-if__answer").select_option(label="No")
    expect(rule.locator("input[name$='-show_if-question']")).to_have_value("have-you-been-to-a-parent")
    expect(rule.locator("input[name$='-show_if-answer']")).to_have_value("no")

    # A duplicated question gets a code of its own rather than a copy that saving would refuse.
    follow_up.locator("xpath=ancestor::section[1]").locator(
        "[data-streamfield-action='DUPLICATE']"
    ).first.click()
    copy = page.locator("[data-contentpath='questions'] [data-question]").nth(2)
    expect(copy.locator("input[name$='-value-code']")).to_have_value("what-stopped-you-coming-2")
    copy.locator("xpath=ancestor::section[1]").locator("[data-streamfield-action='DELETE']").first.click()
    expect(copy).to_be_hidden()

    editor.open_publish(page)
    expect(page.locator(".messages")).to_contain_text("published", timeout=SAVING)

    from surveys import services
    from surveys.models import ConsultationPage

    consultation = ConsultationPage.objects.get(slug="parent-forum-meetings")
    schema = services.schema_for(consultation)
    assert [(q.code, q.choices, q.show_if) for q in schema] == [
        ("have-you-been-to-a-parent", (("yes", "Yes"), ("no", "No")), None),
        (
            "what-stopped-you-coming",
            (("the-time", "The time"), ("getting-there", "Getting there")),
            ("have-you-been-to-a-parent", "no"),
        ),
    ]

    def answer_first_question(answer):
        page.context.clear_cookies()
        page.goto(site_url + consultation.url)
        page.get_by_role("button", name=re.compile("Start now")).click()
        expect(page.locator("h1")).to_contain_text("Have you been to a parent forum meeting?")
        page.get_by_label(answer, exact=True).check()
        page.get_by_role("button", name="Continue").click()

    answer_first_question("Yes")
    assert page.url.endswith("/check-your-answers/")

    answer_first_question("No")
    expect(page.locator("h1")).to_contain_text("What stopped you coming?")


def test_a_follow_up_moved_above_its_question_is_explained_on_save(page, empty_site, client, staff_login):
    _new_consultation(page, empty_site, client, staff_login)
    editor.add_question(page, "Have you been to a parent forum meeting?", ["Yes", "No"])
    follow_up = editor.add_question(page, "What stopped you coming?", ["The time", "Travel"])
    # Found by its field names: "the last question" is another one once this one moves up.
    prefix = follow_up.locator("input[name$='-value-code']").get_attribute("name").removesuffix("-code")
    follow_up = page.locator("[data-question]").filter(has=page.locator(f"[name='{prefix}-label']"))
    rule = follow_up.locator("[data-show-if]")
    rule.locator("select.pv-show-if__question").select_option(index=1)
    rule.locator("select.pv-show-if__answer").select_option(label="No")
    follow_up.locator("xpath=ancestor::section[1]").locator(
        "[data-streamfield-action='MOVE_UP']"
    ).first.click()

    # The list says the rule no longer fits, and saving says why, on the rule.
    expect(rule.locator("select.pv-show-if__question")).to_contain_text("not an earlier choice question")
    editor.open_publish(page)
    expect(page.locator("[data-contentpath='questions']").first).to_contain_text(
        "can only depend on a question that comes before this one", timeout=SAVING
    )
