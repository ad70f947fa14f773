"""Save and come back later (docs/save-and-come-back.md): a parent part way through a web consultation
gets a one-time link by email or text, opens it in another browser, and carries on where they stopped;
the link works once, only while the consultation is open, and the address it went to is never kept."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from messaging import one_time_links
from messaging.choices import Channel
from messaging.models import Message
from messaging.sms import segment_info
from surveys import resume, retention, services
from surveys.choices import Anonymity
from surveys.models import Answer, Response, ResumeLink
from tests.factories import ContactFactory, PartnerLinkFactory

from .test_answering import REPLIES

pytestmark = pytest.mark.django_db

EMAIL = "parent@example.org"
ALICE_IP, BOB_IP = "203.0.113.5", "203.0.113.66"


def _ids(page):
    return {q.code: q.id for q in services.schema_for(page)}


def _q(page, code):
    return f"/consultations/{page.pk}/question/{_ids(page)[code]}/"


def _save_on_page_two(client, page, ease=None, ip=ALICE_IP):
    """Answer the first question, then press "Save and come back later" on the second."""
    client.get(f"/consultations/{page.pk}/start/")
    assert client.post(_q(page, "first-place"), {"answer": "online"}).status_code == 302
    data = {"save": "1", **({"answer": ease} if ease is not None else {})}
    saved = client.post(_q(page, "ease"), data)
    assert saved.status_code == 302 and saved["Location"] == f"/consultations/{page.pk}/save-and-come-back/"
    return saved


def _ask(client, page, address, ip=ALICE_IP, **extra):
    return client.post(
        f"/consultations/{page.pk}/save-and-come-back/", {"address": address, **extra}, REMOTE_ADDR=ip
    )


def _link_in(message):
    found = re.search(r"https?://\S+/consultations/\d+/resume/[A-Za-z0-9_-]{43}/", message.body)
    assert found, message.body
    return found.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def _saved_link(client, page, address=EMAIL, ease="4"):
    _save_on_page_two(client, page, ease=ease)
    asked = _ask(client, page, address)
    assert asked.status_code == 302 and asked["Location"].endswith("/save-and-come-back/sent/")
    return _link_in(Message.objects.get())


def _finish(client, page, start_url):
    """Answer from wherever the flow is, with REPLIES, up to the check-your-answers page."""
    schema = {q.id: q for q in services.schema_for(page)}
    url = start_url
    while "/question/" in url:
        question = schema[url.rstrip("/").split("/")[-1]]
        reply = client.post(url, REPLIES[question.code])
        assert reply.status_code == 302, reply.content.decode()[:1000]
        url = reply["Location"]
    assert url.endswith("/check-your-answers/")
    return client.post(url)


def test_save_on_page_two_then_carry_on_in_another_browser_and_send_once(client, consultation):
    link = _saved_link(client, consultation, ease="2")
    message = Message.objects.get()
    assert message.channel == Channel.EMAIL and message.recipient == EMAIL
    assert consultation.title in message.subject
    sent = client.get(f"/consultations/{consultation.pk}/save-and-come-back/sent/")
    assert "Check your email or phone" in sent.content.decode()
    saved = ResumeLink.objects.get()
    assert saved.position == _ids(consultation)["ease"] and saved.used_at is None
    assert saved.expires_at == consultation.closes_at
    # Only the hash of the token, and never the address.
    token = link.rstrip("/").split("/")[-1]
    assert saved.token_hash == one_time_links.token_hash(token) and token not in str(saved.__dict__)
    assert EMAIL not in str(ResumeLink.objects.values().get())

    other = Client()
    page = other.get(link)
    assert page.status_code == 200 and "Carry on with your answers" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]
    carried = other.post(link)
    assert carried.status_code == 302 and carried["Location"] == _q(consultation, "ease")
    question = other.get(carried["Location"]).content.decode()
    assert 'value="2" checked' in question  # their answer, filled in
    back = other.get(_q(consultation, "first-place")).content.decode()
    assert 'value="online" checked' in back

    done = _finish(other, consultation, carried["Location"])
    assert done.status_code == 302 and done["Location"].endswith("/done/")
    response = Response.objects.get()
    assert Answer.objects.filter(response=response, choice_key="online").exists()
    assert Answer.objects.filter(response=response, choice_key="4").exists()  # changed on the way
    assert Answer.objects.filter(response=response).count() == 8
    # The link is spent: used again in any browser it says so and restores nothing.
    again = Client().post(link)
    assert again.status_code == 410 and "This link has already been used" in again.content.decode()
    assert Response.objects.count() == 1


def test_opening_the_link_does_not_use_it(client, consultation):
    link = _saved_link(client, consultation)
    for _ in range(3):  # an email scanner, a preview, the parent
        assert Client().get(link).status_code == 200
    assert ResumeLink.objects.get().used_at is None
    assert Client().post(link).status_code == 302


def test_a_used_link_is_refused(client, consultation):
    link = _saved_link(client, consultation)
    assert Client().post(link).status_code == 302
    for method in ("get", "post"):
        refused = getattr(Client(), method)(link)
        assert refused.status_code == 410
        assert "This link has already been used" in refused.content.decode()


def test_after_the_consultation_closes_the_link_is_refused_with_the_results_link(client, consultation):
    link = _saved_link(client, consultation)
    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.save()
    for method in ("get", "post"):
        refused = getattr(Client(), method)(link)
        body = refused.content.decode()
        assert refused.status_code == 410 and "This consultation has closed" in body
        assert consultation.url + "results/" in body
    assert ResumeLink.objects.get().used_at is None


def test_a_link_past_its_expiry_is_refused_even_if_the_consultation_was_extended(client, consultation):
    link = _saved_link(client, consultation)
    ResumeLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().post(link).status_code == 410
    assert ResumeLink.objects.get().used_at is None


@pytest.mark.parametrize(
    "token", ["x" * 43, "short", "A" * 44, "%00" * 20, "é" * 43, "A" * 5000, "../../admin"]
)
def test_an_unknown_or_misshapen_link_does_not_work(client, consultation, token):
    for method in ("get", "post"):
        response = getattr(client, method)(f"/consultations/{consultation.pk}/resume/{token}/")
        assert response.status_code == 404
        if token == "x" * 43:
            assert "This link does not work" in response.content.decode()


def test_a_link_of_another_consultation_shows_nothing_of_it(client, make_consultation):
    first = make_consultation()
    second = make_consultation(title="Another one", slug="another")
    link = _saved_link(client, first)
    token = link.rstrip("/").split("/")[-1]
    stranger = Client()
    for method in ("get", "post"):
        refused = getattr(stranger, method)(f"/consultations/{second.pk}/resume/{token}/")
        assert refused.status_code == 404 and "online" not in refused.content.decode()
    assert ResumeLink.objects.get().used_at is None
    assert f"consultation-{first.pk}" not in stranger.session and f"consultation-{second.pk}" not in (
        stranger.session
    )


def test_using_the_link_starts_a_fresh_session(client, consultation):
    link = _saved_link(client, consultation)
    fixed = Client()
    fixed.get(consultation.url)
    before = fixed.session.session_key
    fixed.post(link)
    assert fixed.session.session_key != before


def test_saving_keeps_what_is_on_the_page_without_checking_it_is_required(client, consultation):
    _save_on_page_two(client, consultation)  # nothing chosen on a required question
    assert _ask(client, consultation, EMAIL).status_code == 302
    assert ResumeLink.objects.get().answers == {_ids(consultation)["first-place"]: "online"}


def test_an_invalid_answer_on_the_page_is_not_saved(client, consultation):
    _save_on_page_two(client, consultation, ease="99")
    assert _ask(client, consultation, EMAIL).status_code == 302
    assert _ids(consultation)["ease"] not in ResumeLink.objects.get().answers


def test_free_text_with_an_unticked_other_box_saves_only_what_is_valid(client, consultation):
    client.get(f"/consultations/{consultation.pk}/start/")
    client.post(_q(consultation, "first-place"), {"answer": "online"})
    client.post(_q(consultation, "ease"), {"answer": "3"})
    client.post(_q(consultation, "would-help"), {"answer": ["talk", "other"], "other": "", "save": "1"})
    assert _ask(client, consultation, EMAIL).status_code == 302
    assert _ids(consultation)["would-help"] not in ResumeLink.objects.get().answers
    assert ResumeLink.objects.get().position == _ids(consultation)["would-help"]


def test_the_save_page_needs_a_saved_place(client, consultation):
    response = client.get(f"/consultations/{consultation.pk}/save-and-come-back/")
    assert response.status_code == 302 and response["Location"] == consultation.url
    assert _ask(client, consultation, EMAIL).status_code == 302
    assert not ResumeLink.objects.exists() and not Message.objects.exists()


@pytest.mark.parametrize(
    "typed, problem",
    [
        ("", "Enter an email address"),
        ("not an address", "Enter an email address"),
        ("parent@", "in the right format"),
        ("pa\x00rent@example.org", "hidden character"),
        ("a" * 300 + "@example.org", "254 characters or fewer"),
        ("01632 960000", ""),  # a landline cannot get a text
        ("\u202eparent@example.org\u202c\x07" + "<script>", "in the right format"),
        ("07700 900 982; DROP TABLE", "Enter an email address"),
    ],
)
def test_odd_input_in_the_address_field_sends_nothing(client, consultation, typed, problem):
    _save_on_page_two(client, consultation, ease="3")
    response = _ask(client, consultation, typed)
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and (problem in body or problem == "")
    # The one inline script is the page's own (allowed by its hash); what they typed is escaped.
    assert "<script>" not in body.replace("&lt;script&gt;", "").replace("<script>document.body.className", "")
    assert not ResumeLink.objects.exists() and not Message.objects.exists()


def test_control_characters_and_spacing_in_an_address_are_cleaned(client, consultation):
    _save_on_page_two(client, consultation, ease="3")
    assert _ask(client, consultation, " Parent@Example.org\x07 ").status_code == 302
    assert Message.objects.get().recipient == EMAIL


def test_a_text_link_stays_within_two_segments_whatever_the_title(client, make_consultation):
    page = make_consultation(title="Ż" * 250)  # a long title in a non-GSM script
    _save_on_page_two(client, page, ease="3")
    assert _ask(client, page, "07700 900 982").status_code == 302
    message = Message.objects.get()
    assert message.channel == Channel.SMS and message.recipient == "+447700900982"
    info = segment_info(message.body)
    assert info.encoding == "GSM-7" and info.segments <= 2, (info, message.body)
    assert "/resume/" in message.body


def test_the_honeypot_refuses_a_filled_in_form(client, consultation):
    _save_on_page_two(client, consultation, ease="3")
    assert _ask(client, consultation, EMAIL, extra_details="bot").status_code == 400
    assert not ResumeLink.objects.exists() and not Message.objects.exists()


def test_asking_is_limited_per_address_however_it_is_spelt_and_per_client(client, consultation, settings):
    settings.PUBLIC_RATE_LIMITS = {
        **settings.PUBLIC_RATE_LIMITS,
        "resume_link": "100/h/ip",
        "recipient": "1/h/key",
    }
    _save_on_page_two(client, consultation, ease="3")
    assert _ask(client, consultation, "07700 900123").status_code == 302
    assert _ask(client, consultation, "+447700900123", BOB_IP).status_code == 429
    assert _ask(client, consultation, "Sam@example.org", BOB_IP).status_code == 302
    assert _ask(client, consultation, "sam@EXAMPLE.org", ALICE_IP).status_code == 429
    settings.PUBLIC_RATE_LIMITS = {
        **settings.PUBLIC_RATE_LIMITS,
        "resume_link": "1/h/ip",
        "recipient": "9/h/key",
    }
    assert _ask(client, consultation, "one@example.org", "198.51.100.1").status_code == 302
    assert _ask(client, consultation, "two@example.org", "198.51.100.1").status_code == 429
    assert ResumeLink.objects.count() == Message.objects.count() == 3


def test_using_links_is_limited_per_client(client, consultation, settings):
    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "resume_link": "1/h/ip"}
    token = "x" * 43
    assert client.post(f"/consultations/{consultation.pk}/resume/{token}/").status_code == 404
    assert client.post(f"/consultations/{consultation.pk}/resume/{token}/").status_code == 429


def test_an_invitation_on_a_linked_consultation_is_carried_over(client, consultation):
    contact = ContactFactory()
    client.get(
        f"/consultations/{consultation.pk}/invitation/{services.invitation_token(consultation.pk, contact.pk)}/"
    )
    link = _saved_link(client, consultation)
    assert ResumeLink.objects.get().contact_id == contact.pk
    other = Client()
    _finish(other, consultation, other.post(link)["Location"])
    response = Response.objects.get()
    assert response.contact_id == contact.pk
    assert response.invitation_key == services.invitation_key(consultation.pk, contact.pk)


def test_on_an_anonymous_consultation_nothing_links_the_answers_to_the_parent(client, make_consultation):
    page = make_consultation(anonymity=Anonymity.ANONYMOUS)
    contact = ContactFactory(email=EMAIL)
    client.get(f"/consultations/{page.pk}/invitation/{services.invitation_token(page.pk, contact.pk)}/")
    link = _saved_link(client, page, address=EMAIL)
    saved = ResumeLink.objects.values().get()
    assert saved["contact_id"] is None and EMAIL not in str(saved)
    other = Client()
    _finish(other, page, other.post(link)["Location"])
    response = Response.objects.get()
    # Sent as from an open link: no contact, no invitation key (see the docs for what is lost).
    assert response.contact_id is None and response.invitation_key is None
    message = Message.objects.get()
    assert message.forget_after_send is False or message.contact_id is None
    assert message.contact_id is None


def test_a_partner_link_is_carried_over(client, consultation):
    partner_link = PartnerLinkFactory(consultation=consultation)
    client.get(f"/p/{partner_link.code}/")
    link = _saved_link(client, consultation)
    other = Client()
    _finish(other, consultation, other.post(link)["Location"])
    assert Response.objects.get().partner_id == partner_link.partner_id


def test_free_text_saved_for_later_is_screened_when_sent(client, consultation, monkeypatch):
    screened = []
    monkeypatch.setattr(
        services, "queue_screening", lambda kind, ids: screened.extend((kind, pk) for pk in ids)
    )
    client.get(f"/consultations/{consultation.pk}/start/")
    replies = {**REPLIES, "forum-barrier": {"answer": "Words of my own"}}
    url = _q(consultation, "first-place")
    schema = {q.id: q for q in services.schema_for(consultation)}
    while not url.endswith(_ids(consultation)["how-asked"] + "/"):
        url = client.post(url, replies[schema[url.rstrip("/").split("/")[-1]].code])["Location"]
    client.post(url, {"save": "1"})
    _ask(client, consultation, EMAIL)
    other = Client()
    _finish(other, consultation, other.post(_link_in(Message.objects.get()))["Location"])
    answer = Answer.objects.get(text="Words of my own")
    assert ("surveys.answer", answer.pk) in screened


def test_finished_links_are_deleted_a_day_after_use_or_expiry(consultation):
    now = timezone.now()

    def link(n, **fields):
        return ResumeLink.objects.create(
            consultation=consultation, token_hash=str(n) * 64, expires_at=now + timedelta(days=3), **fields
        )

    link(1, used_at=now - timedelta(days=2))
    link(2, used_at=now - timedelta(hours=2))
    old = link(3)
    ResumeLink.objects.filter(pk=old.pk).update(expires_at=now - timedelta(days=2))
    fresh = link(4)
    assert retention.delete_finished_resume_links(now, dry_run=True) == 2
    assert retention.delete_finished_resume_links(now, dry_run=False) == 2
    assert set(ResumeLink.objects.values_list("token_hash", flat=True)) == {"2" * 64, fresh.token_hash}


def test_restored_answers_drop_what_no_longer_fits(consultation):
    schema = services.schema_for(consultation)
    ids = _ids(consultation)
    restored = resume.restored_answers(
        schema,
        {
            ids["first-place"]: "online",
            ids["ease"]: "99",
            ids["would-help"]: {"keys": "talk"},
            ids["children"]: True,
            "no-such-question": "x",
        },
    )
    assert restored == {ids["first-place"]: "online"}
    assert resume.restored_answers(schema, ["not", "a", "dict"]) == {}


def test_saved_links_add_no_queries_to_the_consultation_or_question_pages(
    client, consultation, django_assert_max_num_queries, django_assert_num_queries
):
    client.get(f"/consultations/{consultation.pk}/start/")
    url = _q(consultation, "first-place")
    client.get(url)
    client.get(consultation.url)
    with django_assert_max_num_queries(10) as question:
        page = client.get(url)
    assert "Save and come back later" in page.content.decode()
    with django_assert_max_num_queries(20) as intro:
        assert client.get(consultation.url).status_code == 200
    for n in range(20):
        ResumeLink.objects.create(
            consultation=consultation, token_hash=f"{n:064d}", expires_at=consultation.closes_at
        )
    with django_assert_num_queries(len(question.captured_queries)):
        client.get(url)
    with django_assert_num_queries(len(intro.captured_queries)):
        client.get(consultation.url)
