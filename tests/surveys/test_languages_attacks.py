"""Attack review of consultations in other languages (#18): a translation's answers are its English
page's, so an English page unpublished or made private takes every translation with it, on the web
and by text, and the translation's index no longer lists it."""

import pytest
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import PageViewRestriction

from surveys import services
from surveys.models import ConsultationPage, Response, SmsConversation
from tests.factories import translate_page

from .test_languages_answering import _answer, _submit
from .texting import PHONE, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def polish(consultation):
    return translate_page(consultation, "pl", title="Wsparcie dla rodziców")


def _unpublish(page):
    UnpublishPageAction(page).execute(skip_permission_checks=True)


def _make_private(page):
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="x" * 20
    )


def _fresh(page):
    return ConsultationPage.objects.get(pk=page.pk)


@pytest.mark.parametrize("withdraw", [_unpublish, _make_private], ids=["unpublished", "private"])
def test_a_translation_cannot_be_answered_once_its_english_page_is_withdrawn(
    client, consultation, polish, withdraw
):
    # Part way through in Polish when the English page goes.
    assert _answer(client, polish)["Location"].endswith("/check-your-answers/")
    withdraw(_fresh(consultation))
    services.forget_page(polish.pk)

    assert services.answerable_page(polish.pk) is None
    assert client.get(f"/consultations/{polish.pk}/start/").status_code == 404
    assert _submit(client, polish).status_code == 404
    assert not Response.objects.exists()


def test_a_translation_under_a_private_english_section_cannot_be_answered(client, consultation, polish):
    _make_private(consultation.get_parent())
    assert services.answerable_page(consultation.pk) is None
    assert services.answerable_page(polish.pk) is None
    assert client.get(f"/consultations/{polish.pk}/start/").status_code == 404


def test_the_polish_list_of_consultations_leaves_out_one_whose_english_page_is_private(
    client, consultation, polish
):
    listing = polish.get_parent().url
    assert "Wsparcie dla rodziców" in client.get(listing).content.decode()
    _make_private(_fresh(consultation))
    page = client.get(listing).content.decode()
    assert "Wsparcie dla rodziców" not in page


def test_the_polish_keyword_does_not_start_a_translation_whose_english_page_is_private(
    client, settings, keyword_consultation
):
    translate_page(keyword_consultation, "pl", title="Wsparcie dla rodziców", sms_keyword="ANKIETA")
    _make_private(_fresh(keyword_consultation))
    reply = text(client, settings, "ANKIETA")
    assert "Wsparcie" not in reply
    assert not SmsConversation.objects.filter(phone=PHONE).exists()


def test_a_translation_stays_answerable_while_its_english_page_is(client, consultation, polish):
    assert services.answerable_page(polish.pk).pk == polish.pk
    assert _answer(client, polish)["Location"].endswith("/check-your-answers/")
    assert _submit(client, polish).status_code == 302
    assert Response.objects.get().consultation_id == consultation.pk


def test_an_invitation_to_a_translation_being_updated_is_kept_on_the_english_page(
    client, consultation, polish
):
    from tests.factories import ContactFactory

    consultation.questions = list(consultation.questions.get_prep_value())[:-1]  # before anyone answered
    consultation.save_revision().publish()
    contact = ContactFactory()
    link = services.invitation_url(consultation.pk, contact.pk, opens_page_id=polish.pk)
    token = link.rsplit("/", 2)[-2]
    opened = client.get(f"/consultations/{polish.pk}/invitation/{token}/")
    assert opened["Location"] == f"/consultations/{consultation.pk}/invitation/{token}/"
    assert client.get(opened["Location"])["Location"] == consultation.url
    assert client.session[f"consultation-{consultation.pk}"]["contact"] == contact.pk
