import re

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PUBLIC_PAGES = [
    "/",
    "/parents-charter/",
    "/our-principles/",
    "/accessibility-statement/",
    "/privacy-notice/",
    "/cookies/",
    "/accounts/signup/",
    "/accounts/login/",
    "/accounts/login/code/",
    "/accounts/password/reset/",
    "/keep-me-informed/",
    "/keep-me-informed/check/?sent=email&sent=sms",
    "/confirm/not-a-real-token/",
    "/unsubscribe/not-a-real-token/",
    "/website-feedback/",
    "/website-feedback/sent/",
    "/open-data/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_axe_violations(page, site_url, axe_violations, path):
    response = page.goto(site_url + path)
    assert response.status in (200, 404)
    count, report = axe_violations(page)
    assert count == 0, report


def test_keep_me_informed_errors_preferences_and_unsubscribe_pages(page, site_url, axe_violations):
    from messaging import services
    from messaging.models import Contact

    page.goto(site_url + "/keep-me-informed/")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    count, report = axe_violations(page)
    assert count == 0, report

    contact = Contact.objects.create(name="Pat", email="pat@example.org", mobile="+447400123456")
    token = services.preferences_token(contact.pk)
    for path in (f"/preferences/{token}/", f"/unsubscribe/{token}/"):
        page.goto(site_url + path)
        count, report = axe_violations(page)
        assert count == 0, report
    page.get_by_role("button", name="Unsubscribe from everything").click()
    expect(page.locator("h1")).to_have_text("You have unsubscribed")


def test_keep_me_informed_is_confirmed_from_the_email_before_anything_is_recorded(
    page, site_url, axe_violations
):
    import re as regex

    from messaging.models import Consent, Contact, Message

    page.goto(site_url + "/keep-me-informed/")
    page.get_by_label("Your first name (optional)").fill("Robin")
    page.get_by_label("Email address (optional)").fill("robin@example.org")
    page.get_by_label("Invitations to have your say in consultations").check()
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    count, report = axe_violations(page)
    assert count == 0, report
    assert not Contact.objects.filter(email="robin@example.org").exists()

    email = Message.objects.get(recipient="robin@example.org", idempotency_key__startswith="confirm-address:")
    link = regex.search(r"https?://\S+/confirm/\S+/", email.body).group(0)
    page.goto(site_url + link[link.index("/confirm/") :])
    expect(page.locator("h1")).to_have_text("Confirm your email address")
    count, report = axe_violations(page)
    assert count == 0, report
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("h1")).to_have_text("You have signed up")
    count, report = axe_violations(page)
    assert count == 0, report
    contact = Contact.objects.get(email="robin@example.org")
    assert contact.name == "Robin"
    assert Consent.objects.get(contact=contact).confirmed_by == "email_link"


def test_not_found_page_has_no_axe_violations(page, site_url, axe_violations):
    response = page.goto(site_url + "/no-such-page/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    count, report = axe_violations(page)
    assert count == 0, report


def test_home_page_reflows_on_a_small_phone(page, site_url, axe_violations):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site_url + "/")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320
    count, report = axe_violations(page)
    assert count == 0, report


def test_sign_up_errors_are_announced_and_accessible(page, site_url, axe_violations):
    page.goto(site_url + "/accounts/signup/")
    page.get_by_role("button", name="Create account").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    assert page.title().startswith("Error: ")
    count, report = axe_violations(page)
    assert count == 0, report
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_email")).to_be_focused()


def test_sign_up_and_verify_by_code_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/accounts/signup/")
    page.get_by_label("Email").fill("nojs.parent@example.org")
    page.get_by_label("Password", exact=True).fill("a-long-test-password")
    page.get_by_label("Type your password again").fill("a-long-test-password")
    page.get_by_role("button", name="Create account").click()

    code = re.search(r"^\s*([A-Z0-9]{4,}(?:-[A-Z0-9]{4,})?)\s*$", mail.outbox[-1].body, re.M).group(1)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("You have confirmed nojs.parent@example.org")
    expect(banner).to_contain_text("Successfully signed in")
    context.close()


def test_verification_code_page_has_no_axe_violations(page, site_url, axe_violations):
    page.goto(site_url + "/accounts/signup/")
    page.get_by_label("Email").fill("code.page@example.org")
    page.get_by_label("Password", exact=True).fill("a-long-test-password")
    page.get_by_label("Type your password again").fill("a-long-test-password")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_label("Code")).to_be_visible()
    count, report = axe_violations(page)
    assert count == 0, report
    page.get_by_label("Code").fill("WRONG1")
    page.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    count, report = axe_violations(page)
    assert count == 0, report


def test_sign_in_page_works_by_keyboard_alone(page, site_url, make_user):
    make_user(email="keyboard@example.org")
    page.goto(site_url + "/accounts/login/")
    page.keyboard.press("Tab")
    expect(page.locator(".govuk-skip-link")).to_be_focused()
    page.get_by_label("Email").focus()
    page.keyboard.type("keyboard@example.org")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Forgot your password?")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type("a-long-test-password")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("keyboard@example.org")


def test_website_feedback_errors_and_a_parents_account_pages(
    page, site_url, axe_violations, client, make_user
):
    page.goto(site_url + "/")
    page.get_by_role("link", name="give your feedback").click()
    page.get_by_role("button", name="Send feedback").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert page.title().startswith("Error: Give feedback on this website")
    count, report = axe_violations(page)
    assert count == 0, report

    client.force_login(make_user(email="a.parent.with.an.account@example.org"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site_url}]
    )
    for path, heading in [
        ("/admin/", "This area is for council staff"),
        ("/accounts/email/", "Your email addresses"),
        ("/accounts/password/change/", "Change your password"),
        ("/accounts/logout/", "Sign out"),
    ]:
        page.goto(site_url + path)
        expect(page.locator("h1")).to_have_text(heading)
        count, report = axe_violations(page)
        assert count == 0, f"{path}: {report}"
