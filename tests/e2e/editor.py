"""Steps in Wagtail's page editor that several browser tests take."""

import re

from playwright.sync_api import expect


def add_question(page, label, choices, kind="Single choice question"):
    """Add a question at the end of the consultation's questions and type its wording and choices."""
    stream = page.locator("[data-contentpath='questions']").first
    questions = stream.locator("[data-question]")
    before = questions.count()
    stream.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name=kind).click()
    expect(questions).to_have_count(before + 1)  # or the wording would go into the previous question
    question = questions.last
    question.locator("input[name$='-value-label']").first.fill(label)
    for index, choice in enumerate(choices):
        question.locator(f"input[name$='-value-choices-{index}-value-label']").fill(choice)
    return question


def fill_rich_text(page, name, text):
    page.locator(f"[data-contentpath='{name}'] [contenteditable='true']").first.fill(text)


def close_date_pickers(page):
    """Close a date picker left open over the footer: one covered "More actions" in a CI run (the
    picker's div catches the click). The picker closes on a mousedown anywhere in the page's body."""
    if page.locator(".xdsoft_datetimepicker:visible").count():
        page.locator("body").dispatch_event("mousedown")
        expect(page.locator(".xdsoft_datetimepicker:visible")).to_have_count(0)


def more_actions(page):
    """Open the menu beside the editor's main button ("More actions": Publish, Unpublish ...)."""
    close_date_pickers(page)
    page.get_by_role("button", name="More actions").click()


def open_publish(page):
    """Press "Publish" in the editor's footer menu."""
    close_date_pickers(page)
    page.locator("footer .w-dropdown__toggle, [data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name="Publish").click()


def publish(page):
    open_publish(page)
    expect(page.locator(".messages")).to_contain_text("published")


ITEM = "Some parents cannot come to meetings in the day."


def start_item(page, site_url, consultation):
    """Add the theme "Parent fora", then open a new 'You said' item on the consultation with ITEM as its
    summary and that theme; the caller ticks the answers it rests on and publishes."""

    page.goto(f"{site_url}/admin/snippets/feedback_loop/theme/add/")
    page.locator("#id_name").fill("Parent fora")
    page.locator("#id_slug").fill("parent-fora")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("created")

    page.goto(f"{site_url}/admin/snippets/feedback_loop/feedbackitem/add/?consultation={consultation.pk}")
    page.locator("#id_summary").fill(ITEM)
    page.locator("[data-contentpath='theme']").get_by_role("button", name=re.compile("Choose")).click()
    page.locator(".modal").get_by_role("link", name="Parent fora").click()
    expect(page.locator("#id_theme")).not_to_have_value("")


def press_publish_decision(page, site_url, decision, told):
    """Write an agreed decision on ITEM and press Publish: the "This will tell N people" screen opens."""
    from django.utils import timezone

    page.goto(f"{site_url}/admin/snippets/feedback_loop/decision/add/")
    page.get_by_label(ITEM).check()
    page.locator("#id_summary").fill(decision)
    page.locator("#id_status").select_option(label="Agreed")
    page.locator("#id_decided_on").fill(timezone.localdate().strftime("%Y-%m-%d"))
    page.keyboard.press("Escape")
    page.locator("#id_deciding_body").fill("Children's Trust Board")
    page.locator("#id_owner").fill("Head of Early Help")
    more_actions(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name=f"This will tell {told} people")).to_be_visible()


def add_page(officer, site_url, model, parent_pk, title):
    """Open the editor for a new forums page of `model` under `parent_pk` and type its title."""
    officer.goto(f"{site_url}/admin/pages/add/forums/{model}/{parent_pk}/")
    officer.locator("#id_title").fill(title)
    officer.locator("#id_title").blur()  # the slug is made from the title when it changes
    expect(officer.locator("#id_slug")).to_have_value(re.compile(r"\S"))


def add_forum(officer, site_url, index_pk, title, kind):
    """Make and publish a forum of `kind` (its label) under the fora index."""
    add_page(officer, site_url, "forumpage", index_pk, title)
    officer.locator("#id_kind").select_option(label=kind)
    officer.locator("#id_summary").fill(f"{title}: parents and practitioners shaping services.")
    officer.locator("#id_who_for").fill("Anyone in Kent")
    box = officer.locator("[data-contentpath='how_it_works'] [contenteditable='true']").first
    box.click()
    officer.keyboard.type("We meet every term and talk about what matters.")
    expect(box).to_contain_text("We meet every term")
    officer.keyboard.press("Tab")  # Draftail writes its hidden input when it loses focus
    expect(officer.locator("input[name='how_it_works']")).not_to_have_value("null")
    officer.locator("#id_meeting_pattern").fill("Once a term, 7pm to 8.30pm")
    publish(officer)
