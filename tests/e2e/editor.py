"""Steps in Wagtail's page editor that several browser tests take."""

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


def open_publish(page):
    """Press "Publish" in the editor's footer menu."""
    page.locator("footer .w-dropdown__toggle, [data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name="Publish").click()


def publish(page):
    open_publish(page)
    expect(page.locator(".messages")).to_contain_text("published")
