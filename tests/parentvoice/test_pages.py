import re

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from parentvoice.demo import PAGES

pytestmark = pytest.mark.django_db


def test_home_page_shows_each_section_with_its_empty_state(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-xl">Parent Voice</h1>' in html
    assert "There are no open consultations at the moment" in html
    assert "No meetings are planned yet" in html
    assert "Decisions made after listening to parents will appear here" in html


def test_home_page_query_count_is_bounded(client, demo, django_assert_max_num_queries):
    client.get("/")  # warm Wagtail's site cache
    # Each of the three panels (consultations, forum meetings, decisions) costs a fixed few queries,
    # however many items there are. The demo's home page is translated: the language switcher costs up
    # to six more (the page's translations, which are public, and their addresses).
    with django_assert_max_num_queries(25):
        assert client.get("/").status_code == 200


def test_standard_page_renders_body_breadcrumbs_and_last_updated(client, demo):
    response = client.get("/parents-charter/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">The Parents&#x27; Charter</h1>' in html
    assert "be treated as an expert on their child" in html
    assert 'class="govuk-breadcrumbs__link" href="/">Home</a>' in html
    assert "Last updated" in html


def test_service_navigation_lists_menu_pages_and_marks_the_current_one(client, demo):
    html = client.get("/parents-charter/").content.decode()
    nav = re.search(r'<ul class="govuk-service-navigation__list".*?</ul>', html, re.S).group(0)
    in_menu = [spec["title"].replace("'", "&#x27;") for spec in PAGES if spec["show_in_menus"]]
    for title in in_menu:
        assert title in nav
    assert "Privacy notice" not in nav
    assert 'aria-current="page"' in nav


def test_footer_links_to_statements_without_crown_copyright(client, demo):
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="govuk-footer">') :]
    assert 'href="/accessibility-statement/">Accessibility statement</a>' in footer
    assert 'href="/privacy-notice/">Privacy notice</a>' in footer
    assert "Crown copyright" not in html
    assert "govuk-footer__copyright-logo" not in html
    assert "Kent County Council" in footer


def test_generic_header_names_the_council_not_gov_uk(client, demo):
    html = client.get("/").content.decode()
    assert 'class="govuk-generic-header__homepage-link">Kent County Council</a>' in html
    assert "GOV.UK" not in html


def test_missing_page_uses_the_design_system_404(client, demo):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "govuk-footer" in html
    assert "Traceback" not in html


def test_server_error_page_has_no_stack_trace_and_needs_no_database(rf: RequestFactory):
    response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "Traceback" not in html


def test_unhandled_exception_returns_the_500_page(client, demo, monkeypatch):
    from parentvoice.models import HomePage

    def explode(self, request, *args, **kwargs):
        raise RuntimeError("boom: secret detail")

    monkeypatch.setattr(HomePage, "get_context", explode)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert "secret detail" not in html


def test_home_sections_hook_lets_apps_fill_a_panel(client, home_page):
    from wagtail import hooks

    from parentvoice.models import HOME_SECTIONS_HOOK

    def consultations(request):
        return {
            "consultations": {
                "items": [{"title": "Childcare in Dover", "url": "/c/", "meta": "Closes 1 May"}]
            }
        }

    with hooks.register_temporarily(HOME_SECTIONS_HOOK, consultations):
        html = client.get("/").content.decode()
    assert '<a class="govuk-link" href="/c/">Childcare in Dover</a>' in html
    assert "There are no open consultations" not in html


def test_form_renderer_uses_checkboxes_for_multiple_choices_and_radios_for_one():
    from django import forms

    class Example(forms.Form):
        many = forms.MultipleChoiceField(
            choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
        )
        one = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)

    html = str(Example())
    assert 'class="govuk-checkboxes__input" id="id_many_0" name="many" type="checkbox"' in html
    assert 'class="govuk-radios__input" id="id_one_0" name="one" type="radio"' in html
    assert "<legend" in html


def test_form_renderer_error_summary_links_to_the_first_option_of_a_choice_list():
    from django import forms

    class Example(forms.Form):
        one = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)

    from django.template.loader import render_to_string

    form = Example(data={})
    summary = render_to_string("forms/govuk/error_summary.html", {"form": form})
    assert '<a href="#id_one_0">This field is required.</a>' in summary
    html = str(form)
    assert "govuk-form-group--error" in html
    assert "govuk-error-summary" not in html  # base.html shows it, above the page's heading


def test_error_summary_is_above_the_heading_and_the_title_says_error_once(client, home_page):
    html = client.post("/keep-me-informed/", {"name": "Pat"}).content.decode()
    assert html.count("govuk-error-summary__title") == 1
    assert html.index("govuk-error-summary") < html.index("<h1")
    assert re.search(r"<title>Error: Keep me informed – Parent Voice</title>", html)
    assert html.count("Error: ") == 1


def test_contact_rule_is_reported_with_the_other_errors_at_once():
    from messaging.forms import KeepMeInformedForm

    form = KeepMeInformedForm(data={"name": "Pat"})
    assert not form.is_valid()
    assert form.errors["purposes"] == ["Select what you want to hear about"]
    assert form.errors["email"] == ["Enter an email address or a mobile number, so we can contact you"]
    # A wrong address says what is wrong with it, not "enter one".
    wrong = KeepMeInformedForm(data={"mobile": "0121 234 5678"})
    assert not wrong.is_valid()
    assert "email" not in wrong.errors and "purposes" in wrong.errors and "mobile" in wrong.errors


def test_home_page_title_names_the_service_once(client, home_page):
    html = client.get("/").content.decode()
    assert "<title>Parent Voice</title>" in html
    home_page.title = "Welcome"
    home_page.save_revision().publish()
    assert "<title>Welcome – Parent Voice</title>" in client.get("/").content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/fora/99999999999999999999999/join/",
        "/fora/99999999999999999999999/join/check/",
        "/fora/99999999999999999999999/contact/",
        "/fora/events/99999999999999999999999/book/",
        "/consultations/99999999999999999999999/start/",
    ],
)
def test_a_huge_id_in_a_link_is_not_found_not_an_error(client, home_page, path):
    assert client.get(path).status_code == 404
    assert client.post(path, {}).status_code == 404


def test_get_updates_is_in_the_service_navigation_and_on_the_home_page(client, home_page):
    html = client.get("/").content.decode()
    nav = html[html.index('class="govuk-service-navigation"') : html.index("</nav>")]
    assert '<a class="govuk-service-navigation__link" href="/keep-me-informed/">Get updates</a>' in nav
    main = html[html.index("<main") :]
    assert 'href="/keep-me-informed/">Sign up for updates</a>' in main
    sign_up = client.get("/keep-me-informed/").content.decode()
    assert 'aria-current="page"' in sign_up
