import re
from datetime import timedelta

import pytest
from django.utils import timezone

from surveys import services
from surveys.models import Answer, Response
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def _path_of(response):
    return response["Location"]


def _answer_all(client, page, replies):
    """Follow the flow from Start, answering each question with replies[code]."""
    response = client.get(f"/consultations/{page.pk}/start/")
    schema = {q.id: q for q in services.schema_for(page)}
    while "/question/" in _path_of(response):
        url = _path_of(response)
        question = schema[url.rstrip("/").split("/")[-1]]
        response = client.post(url, replies[question.code])
        assert response.status_code == 302, response.content.decode()[:2000]
    return response


REPLIES = {
    "first-place": {"answer": "online"},
    "ease": {"answer": "4"},
    "would-help": {"answer": ["talk", "other"], "other": "Evening groups"},
    "forum": {"answer": "no"},
    "forum-barrier": {"answer": "Meetings after 6pm"},
    "how-asked": {"answer": "text"},
    "children": {"answer": "2"},
    "anything-else": {"answer": ""},
}


def test_a_parent_answers_every_question_checks_and_sends(client, consultation):
    intro = client.get(consultation.url)
    assert intro.status_code == 200
    assert "Start now" in intro.content.decode()

    response = _answer_all(client, consultation, REPLIES)
    assert _path_of(response).endswith("/check-your-answers/")
    check = client.get(_path_of(response)).content.decode()
    assert "Meetings after 6pm" in check
    assert "Someone to talk to when things are hard, Other: Evening groups" in check
    assert Response.objects.count() == 0  # nothing saved until they send

    done = client.post(f"/consultations/{consultation.pk}/check-your-answers/")
    assert _path_of(done).endswith("/done/")
    saved = Response.objects.get()
    assert saved.channel == "web" and saved.contact is None
    rows = set(Answer.objects.values_list("choice_key", "text", "number"))
    assert ("talk", "", None) in rows and ("other", "Evening groups", None) in rows
    assert ("4", "", 4) in rows and ("", "", 2) in rows
    assert ("", "Meetings after 6pm", None) in rows
    assert Answer.objects.filter(response=saved).count() == 8  # skipped 'anything else' stores nothing
    assert "Thank you, your answers have been sent" in client.get(_path_of(done)).content.decode()
    # Basic duplicate protection in the same browser:
    assert "You have already answered" in client.get(consultation.url).content.decode()


def test_a_browser_that_has_sent_its_answers_cannot_answer_again_through_the_question_pages(
    client, consultation
):
    _answer_all(client, consultation, REPLIES)
    client.post(f"/consultations/{consultation.pk}/check-your-answers/")
    assert Response.objects.count() == 1
    first = services.schema_for(consultation)[0]
    # Typing a question's address again (Start already refuses) goes back to the intro, which says so.
    again = client.post(f"/consultations/{consultation.pk}/question/{first.id}/", {"answer": "talk"})
    assert again.status_code == 302 and _path_of(again) == consultation.url
    sent = client.post(f"/consultations/{consultation.pk}/check-your-answers/")
    assert sent.status_code == 302 and _path_of(sent) == consultation.url
    assert Response.objects.count() == 1


def test_show_if_skips_the_follow_up_question(client, consultation):
    replies = {**REPLIES, "forum": {"answer": "yes"}}
    _answer_all(client, consultation, replies)
    client.post(f"/consultations/{consultation.pk}/check-your-answers/")
    barrier = next(q for q in services.schema_for(consultation) if q.code == "forum-barrier")
    assert not Answer.objects.filter(question_id=barrier.id).exists()


def test_a_wrong_answer_shows_a_specific_error_and_keeps_the_typing(client, consultation):
    schema = services.schema_for(consultation)
    children = next(q for q in schema if q.code == "children")
    client.get(f"/consultations/{consultation.pk}/start/")
    response = client.post(f"/consultations/{consultation.pk}/question/{children.id}/", {"answer": "lots"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in html
    assert "Enter a whole number, like 3" in html
    assert 'value="lots"' in html
    assert 'href="#answer"' in html


def test_progress_back_link_and_resume(client, consultation):
    schema = services.schema_for(consultation)
    first, second = schema[0], schema[1]
    client.get(f"/consultations/{consultation.pk}/start/")
    client.post(f"/consultations/{consultation.pk}/question/{first.id}/", {"answer": "school"})
    html = client.get(f"/consultations/{consultation.pk}/question/{second.id}/").content.decode()
    assert "Question 2 of" in html
    assert f'href="/consultations/{consultation.pk}/question/{first.id}/" class="govuk-back-link"' in html
    # Leaving and coming back carries on where they left off, with earlier answers remembered.
    assert "Carry on" in client.get(consultation.url).content.decode()
    assert client.get(f"/consultations/{consultation.pk}/start/")["Location"].endswith(
        f"/question/{second.id}/"
    )
    assert (
        'value="school" checked'
        in client.get(f"/consultations/{consultation.pk}/question/{first.id}/").content.decode()
    )


def test_change_from_check_answers_returns_to_check_answers(client, consultation):
    _answer_all(client, consultation, REPLIES)
    first = services.schema_for(consultation)[0]
    response = client.post(
        f"/consultations/{consultation.pk}/question/{first.id}/?change=1", {"answer": "family"}
    )
    assert response["Location"].endswith("/check-your-answers/")


def test_before_opening_and_after_closing(client, consultation):
    consultation.opens_at = timezone.now() + timedelta(days=2)
    consultation.save_revision().publish()
    html = client.get(consultation.url).content.decode()
    assert "This consultation opens at" in html
    assert client.get(f"/consultations/{consultation.pk}/start/")["Location"] == consultation.url

    consultation.opens_at = timezone.now() - timedelta(days=20)
    consultation.closes_at = timezone.now() - timedelta(days=1)
    consultation.save_revision().publish()
    html = client.get(consultation.url).content.decode()
    assert "This consultation has closed" in html and "results page" in html


def test_invitation_links_allow_exactly_one_response(client, consultation):
    from messaging.models import Contact

    contact = Contact.objects.create(name="Pat", mobile="+447400123456")
    token = services.invitation_token(consultation.pk, contact.pk)
    assert client.get(f"/consultations/{consultation.pk}/invitation/{token}/")["Location"] == consultation.url
    _answer_all(client, consultation, REPLIES)
    client.post(f"/consultations/{consultation.pk}/check-your-answers/")
    assert Response.objects.get().contact == contact

    other_browser = type(client)()
    again = other_browser.get(f"/consultations/{consultation.pk}/invitation/{token}/")
    assert "You have already answered" in again.content.decode()


def test_a_tampered_invitation_gets_a_clear_page(client, consultation):
    token = services.invitation_token(consultation.pk, 1)
    response = client.get(f"/consultations/{consultation.pk}/invitation/{token[:-3]}abc/")
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    other_page_token = services.invitation_token(consultation.pk + 1000, 1)
    assert client.get(f"/consultations/{consultation.pk}/invitation/{other_page_token}/").status_code == 404


def test_an_invitation_used_in_another_browser_meanwhile_is_refused_at_sending(client, consultation):
    from messaging.models import Contact

    contact = Contact.objects.create(name="Pat", mobile="+447400123456")
    token = services.invitation_token(consultation.pk, contact.pk)
    client.get(f"/consultations/{consultation.pk}/invitation/{token}/")
    _answer_all(client, consultation, REPLIES)
    services.submit_response(
        consultation, {}, channel="sms", contact_id=contact.pk
    )  # answered by text meanwhile
    response = client.post(f"/consultations/{consultation.pk}/check-your-answers/")
    assert "already been used" in response.content.decode()
    assert Response.objects.count() == 1


def test_open_links_are_rate_limited_per_client_and_a_refused_answer_is_kept(client, consultation, settings):
    from django.test import Client

    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "answer": "1/h/ip"}
    check = f"/consultations/{consultation.pk}/check-your-answers/"
    _answer_all(client, consultation, REPLIES)
    assert _path_of(client.post(check)).endswith("/done/")

    neighbour = Client()  # another browser on the same connection
    _answer_all(neighbour, consultation, REPLIES)
    refused = neighbour.post(check)
    assert refused.status_code == 429
    assert "You have tried too many times. Try again in an hour." in refused.content.decode()
    assert Response.objects.count() == 1
    assert "Meetings after 6pm" in neighbour.get(check).content.decode()  # nothing lost
    assert _path_of(neighbour.post(check, REMOTE_ADDR="203.0.113.10")).endswith("/done/")  # another client
    assert Response.objects.count() == 2


def test_invitation_answers_are_not_counted_against_the_open_link_limit(client, consultation, settings):
    from messaging.models import Contact

    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "answer": "0/h/ip"}
    contact = Contact.objects.create(name="Pat", mobile="+447400123456")
    client.get(
        f"/consultations/{consultation.pk}/invitation/{services.invitation_token(consultation.pk, contact.pk)}/"
    )
    _answer_all(client, consultation, REPLIES)
    assert _path_of(client.post(f"/consultations/{consultation.pk}/check-your-answers/")).endswith("/done/")


def test_invitation_links_are_personalised_in_campaigns(consultation):
    from messaging import audiences

    url = audiences.link_personaliser(f"consultation:{consultation.pk}")(42)
    token = re.search(r"/invitation/([^/]+)/$", url).group(1)
    assert services.read_invitation(consultation, token) == 42


def test_home_page_lists_open_consultations(client, consultation):
    html = client.get("/").content.decode()
    assert f'<a class="govuk-link" href="{consultation.url}">Support for parents</a>' in html
    assert "There are no open consultations" not in html


def test_consultation_index_lists_open_upcoming_and_closed(client, consultation):
    html = client.get(consultation.get_parent().url).content.decode()
    assert "Open now" in html and "Support for parents" in html


def test_a_consultation_behind_a_view_restriction_cannot_be_answered(client, consultation):
    from wagtail.models import PageViewRestriction

    url = f"/consultations/{consultation.pk}/start/"
    assert client.get(url).status_code == 302
    PageViewRestriction.objects.create(page=consultation.get_parent(), restriction_type="login")
    assert client.get(url).status_code == 404
    consultation.unpublish()
    PageViewRestriction.objects.all().delete()
    assert client.get(url).status_code == 404


def test_a_reference_another_response_has_is_never_given_twice(consultation, monkeypatch):
    """References are random and not looked up before saving: a clash (next to impossible) fails
    the insert, and the response is saved with another reference, its answers once."""
    from surveys import wording

    first = services.submit_response(consultation, {}, channel="web")
    offered = iter([first.reference, first.reference, "NEWREF01"])
    monkeypatch.setattr(wording, "new_reference", lambda: next(offered))
    forum = next(q for q in services.schema_for(consultation) if q.code == "forum")
    second = services.submit_response(consultation, {forum.id: "yes"}, channel="web")
    assert second.reference == "NEWREF01"
    assert Response.objects.count() == 2 and Answer.objects.filter(response=second).count() == 1


def test_an_invitation_used_already_is_not_mistaken_for_a_reference_clash(consultation):
    contact = ContactFactory()
    services.submit_response(consultation, {}, channel="web", contact_id=contact.pk)
    with pytest.raises(services.AlreadyAnswered):
        services.submit_response(consultation, {}, channel="web", contact_id=contact.pk)
    assert Response.objects.count() == 1
