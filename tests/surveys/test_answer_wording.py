"""What a person answering reads: question-specific errors, the time estimate and optional questions on
the intro, the confirmation reference and the copy of the answers by email."""

import re

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from messaging.models import Consent, Message
from messaging.sms import segment_info, split_texts
from surveys import services, sms, wording
from surveys.choices import Anonymity, QuestionType
from surveys.models import Response
from surveys.questions import Question

from .test_answering import REPLIES, _answer_all

TYPES = [
    QuestionType.SINGLE_CHOICE,
    QuestionType.MULTIPLE_CHOICE,
    QuestionType.SCALE,
    QuestionType.FREE_TEXT,
    QuestionType.NUMBER,
]


def _q(label="What would help you most?", kind=QuestionType.SINGLE_CHOICE, **extra):
    choices = (("a", "A"), ("b", "B")) if kind != QuestionType.FREE_TEXT else ()
    return Question(id=extra.pop("id", "q"), type=kind, code="q", label=label, choices=choices, **extra)


# --- Pure functions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "kind", "message"),
    [
        ("What would help you most?", QuestionType.SINGLE_CHOICE, "Select what would help you most"),
        ("What would help you most?", QuestionType.MULTIPLE_CHOICE, "Select what would help you most"),
        ("Where do you live?", QuestionType.SINGLE_CHOICE, "Select where you live"),
        ("Have you been to a forum?", QuestionType.SINGLE_CHOICE, "Select if you have been to a forum"),
        ("What is your ethnic group?", QuestionType.SINGLE_CHOICE, "Select your ethnic group"),
        (
            "How many children do you look after?",
            QuestionType.NUMBER,
            "Enter how many children you look after",
        ),
        ("How would you like us to ask?", QuestionType.SINGLE_CHOICE, "Select how you would like us to ask"),
        (
            "Which SEND services have you used?",
            QuestionType.MULTIPLE_CHOICE,
            "Select which SEND services you have used",
        ),
        ("Are you a…", QuestionType.SINGLE_CHOICE, "Select an answer"),
        ("Tick the days", QuestionType.MULTIPLE_CHOICE, "Select all that apply"),
        ("Is there anything else?", QuestionType.FREE_TEXT, "Enter your answer"),
        ("How easy was it?", QuestionType.SCALE, "Select a number from 1 to 5"),
    ],
)
def test_the_error_for_an_unanswered_question_is_made_from_the_question(label, kind, message):
    assert wording.missing_answer(_q(label, kind)) == message


def test_an_explicit_error_message_on_the_question_wins():
    question = _q()
    object.__setattr__(question, "error_message", "Select the help you want")
    assert wording.missing_answer(question) == "Select the help you want"


@given(label=st.text(max_size=300), kind=st.sampled_from(TYPES))
def test_every_unanswered_error_is_one_plain_line_starting_select_or_enter(label, kind):
    message = wording.missing_answer(_q(label, kind))
    assert message.startswith(("Select ", "Enter "))
    assert "?" not in message[-1:] and len(message) <= 160


@given(kinds=st.lists(st.sampled_from(TYPES), max_size=60))
def test_the_estimate_is_whole_minutes_rounded_up_and_grows_with_the_questions(kinds):
    schema = [_q(kind=kind, id=str(i)) for i, kind in enumerate(kinds)]
    minutes = wording.estimated_minutes(schema)
    seconds = wording.SECONDS_TO_CHECK_AND_SEND + sum(wording.SECONDS_PER_QUESTION[k] for k in kinds)
    assert minutes >= 1 and (minutes - 1) * 60 < seconds <= minutes * 60
    assert wording.estimated_minutes([*schema, _q(kind=QuestionType.FREE_TEXT, id="x")]) > minutes
    assert wording.time_estimate(schema) == ("about 1 minute" if minutes == 1 else f"about {minutes} minutes")


@given(required=st.lists(st.booleans(), min_size=1, max_size=12))
def test_the_optional_questions_are_named_accurately(required):
    schema = [_q(id=str(i), required=r) for i, r in enumerate(required)]
    text = wording.optional_questions(schema)
    if all(required):
        assert text == "Every question needs an answer."
    elif not any(required):
        assert text.startswith("All the questions are optional")
    else:
        named = {int(n) for n in re.findall(r"\d+", text)}
        assert named == {i + 1 for i, r in enumerate(required) if not r}


def test_optional_questions_after_a_conditional_one_are_not_numbered():
    schema = [_q(id="1"), _q(id="2", show_if=("q", "a")), _q(id="3", required=False)]
    assert wording.optional_questions(schema) == "You can skip the questions marked (optional)."
    about = [_q(id="1"), _q(id="2", required=False), _q(id="about-role", required=False)]
    assert (
        wording.optional_questions(about, {"about-role"})
        == "You can skip question 2 and the questions about you."
    )


@pytest.mark.parametrize(
    ("seconds", "text"), [(43200, "12 hours"), (3600, "1 hour"), (86400, "1 day"), (1800, "30 minutes")]
)
def test_how_long_a_half_finished_answer_is_kept(seconds, text):
    assert wording.kept_for(seconds) == text


def test_references_use_an_unambiguous_alphabet():
    references = {wording.new_reference() for _ in range(200)}
    assert len(references) == 200
    assert all(wording.is_reference(r) and not set(r) & set("01IOL") for r in references)


# --- The web pages -------------------------------------------------------------------------


def _question(page, code):
    return next(q for q in services.schema_for(page) if q.code == code)


@pytest.mark.django_db
def test_an_unanswered_question_says_what_to_select_above_the_heading(client, consultation):
    question = _question(consultation, "would-help")
    client.get(f"/consultations/{consultation.pk}/start/")
    response = client.post(f"/consultations/{consultation.pk}/question/{question.id}/", {})
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("Select what would help you most as a parent or carer") == 2  # summary and field
    assert html.count("Error:") == 2  # the title once, the field's hidden prefix once
    assert re.search(r"<title>Error: (?!Error)", html)
    assert html.index("govuk-error-summary") < html.index("<h1")


@pytest.mark.django_db
def test_the_other_error_links_to_and_highlights_the_please_say_what_box(client, consultation):
    question = _question(consultation, "would-help")
    client.get(f"/consultations/{consultation.pk}/start/")
    html = client.post(
        f"/consultations/{consultation.pk}/question/{question.id}/",
        {"answer": ["talk", "other"], "other": "  "},
    ).content.decode()
    assert 'href="#other"' in html
    assert re.search(
        r'class="govuk-input govuk-input--error" id="other"[^>]*aria-describedby="other-error"', html
    )
    assert 'id="other-error"' in html
    # Revealed without JavaScript, and the checkboxes themselves are not marked wrong.
    assert 'govuk-checkboxes__conditional" id="conditional-other"' in html
    assert 'id="answer-error"' not in html


@pytest.mark.django_db
def test_the_intro_gives_an_estimate_the_optional_questions_and_how_long_answers_are_kept(
    client, make_consultation, settings
):
    settings.SESSION_COOKIE_AGE = 12 * 3600
    questions = [
        {"type": "single_choice", "value": {"label": "Pick one", "hint": "", "required": True, "code": "one",
         "show_if": {}, "choices": [{"label": "A", "key": "a"}, {"label": "B", "key": "b"}]}},
        {"type": "free_text", "value": {"label": "Say more", "hint": "", "required": False, "code": "two",
         "show_if": {}, "max_length": 500}},
    ]  # fmt: skip
    page = make_consultation(questions=questions)
    html = client.get(page.url).content.decode()
    assert "It takes about 3 minutes." in html  # 15s + 90s + 30s to check and send
    assert "You can skip question 2." in html
    assert "we keep your answers on this device for 12 hours" in html


def _send(client, page):
    _answer_all(client, page, REPLIES)
    return client.post(f"/consultations/{page.pk}/check-your-answers/")


@pytest.mark.django_db
def test_the_confirmation_shows_a_random_reference(client, consultation):
    done = client.get(_send(client, consultation)["Location"]).content.decode()
    reference = Response.objects.get().reference
    assert wording.is_reference(reference)
    assert reference in done


@pytest.mark.django_db
def test_a_copy_of_the_answers_goes_by_email_to_the_person_who_just_sent_them(client, consultation):
    done_url = _send(client, consultation)["Location"]
    sent = client.post(done_url, {"email": "Parent@Example.org "})
    assert sent.status_code == 302
    message = Message.objects.get()
    saved = Response.objects.get()
    assert message.recipient == "parent@example.org" and message.channel == "email"
    assert saved.reference in message.body and "Other: Evening groups" in message.body
    assert "Meetings after 6pm" in message.body
    assert not Consent.objects.exists()  # a service message they asked for: no consent recorded
    assert "We have sent a copy" in client.get(done_url).content.decode()


@pytest.mark.django_db
def test_no_more_than_two_copies_per_response(client, consultation):
    done_url = _send(client, consultation)["Location"]
    for address in ("a@example.org", "b@example.org", "c@example.org"):
        client.post(done_url, {"email": address})
    assert Message.objects.count() == 2
    assert "Email me a copy" not in client.get(done_url).content.decode()


@pytest.mark.django_db
def test_a_reference_alone_never_gets_anyone_the_answers(client, consultation):
    done_url = _send(client, consultation)["Location"]
    reference = Response.objects.get().reference
    stranger = Client()
    refused = stranger.post(done_url, {"email": "attacker@example.org", "reference": reference})
    assert refused.status_code == 302 and refused["Location"] == consultation.url
    # A stranger who has answered too gets only their own answers.
    _send(stranger, consultation)
    stranger.post(done_url, {"email": "attacker@example.org", "reference": reference})
    (message,) = Message.objects.all()
    assert reference not in message.body


@pytest.mark.django_db
def test_the_copy_form_refuses_bad_addresses_and_bots(client, consultation):
    done_url = _send(client, consultation)["Location"]
    for data in (
        {"email": "not an address"},
        {"email": "a" * 300 + "@example.org"},
        {"email": "x@example.org\r\nBcc: victim@example.org"},
        {"email": "ok@example.org", "extra_details": "bot"},
    ):
        response = client.post(done_url, data)
        assert response.status_code == 400
        assert re.search(r"<title>Error: ", response.content.decode())
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_the_copy_form_is_rate_limited(client, consultation, settings):
    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "answers_copy": "1/h/ip"}
    done_url = _send(client, consultation)["Location"]
    client.post(done_url, {"email": "not an address"})
    assert client.post(done_url, {"email": "a@example.org"}).status_code == 429
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_an_anonymous_response_keeps_no_email_address(client, make_consultation):
    page = make_consultation(anonymity=Anonymity.ANONYMOUS)
    done_url = _send(client, page)["Location"]
    client.post(done_url, {"email": "parent@example.org"})
    saved = Response.objects.get()
    assert saved.contact is None
    assert "parent@example.org" not in str(Response.objects.filter(pk=saved.pk).values().get())
    assert Message.objects.get().contact_id is None


@pytest.mark.django_db
def test_an_anonymous_copy_is_wiped_from_the_outbox_once_sent(client, make_consultation, mailoutbox):
    """The outbox row would otherwise pair the parent's address with their anonymous answers."""
    from messaging.services import send_message
    from messaging.services.sending import FORGOTTEN_BODY

    page = make_consultation(anonymity=Anonymity.ANONYMOUS)
    done_url = _send(client, page)["Location"]
    client.post(done_url, {"email": "parent@example.org"})
    saved, message = Response.objects.get(), Message.objects.get()
    assert not message.idempotency_key.startswith(f"surveys:answers-copy:{saved.pk}:")
    send_message(message.pk)
    assert mailoutbox[-1].to == ["parent@example.org"] and saved.reference in mailoutbox[-1].body
    message.refresh_from_db()
    assert (message.body, message.recipient) == (FORGOTTEN_BODY, "")
    assert saved.reference not in str(Message.objects.filter(pk=message.pk).values().get())


@pytest.mark.django_db
def test_a_linked_copy_stays_in_the_outbox(client, consultation, mailoutbox):
    from messaging.services import send_message

    done_url = _send(client, consultation)["Location"]
    client.post(done_url, {"email": "parent@example.org"})
    message = Message.objects.get()
    send_message(message.pk)
    message.refresh_from_db()
    assert message.recipient == "parent@example.org" and Response.objects.get().reference in message.body


# --- Text-message wording --------------------------------------------------------------------


_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=40).map(str.strip).filter(bool)


@given(
    label=st.text(alphabet="abcdefghij klmnop?", min_size=1, max_size=200),
    labels=st.lists(_words, min_size=2, max_size=15),
    kind=st.sampled_from([QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE]),
    other=st.booleans(),
    required=st.booleans(),
)
def test_a_question_text_is_two_segments_at_most_whenever_it_can_be(label, labels, kind, other, required):
    question = Question(
        id="q", type=kind, code="q", label=label, required=required,
        choices=tuple((f"k{i}", text) for i, text in enumerate(labels)),
        other_option=other and kind == QuestionType.MULTIPLE_CHOICE,
    )  # fmt: skip
    text = sms.prompt(question, 3, 9)
    shortest = min(segment_info(sms._prompt(question, 3, 9, compact=c)).segments for c in (False, True))
    assert segment_info(text).segments == shortest or segment_info(text).segments <= 2
    assert segment_info(text).segments <= max(2, shortest)
    for number, (_, choice) in enumerate(sms._options(question), start=1):
        assert f"{number}={choice}" in text  # the choices are always there to read


def test_fourteen_choices_say_reply_1_to_14_instead_of_listing_the_numbers():
    question = Question(
        id="q", type=QuestionType.SINGLE_CHOICE, code="q", label="Which district do you live in?",
        choices=tuple((f"d{i}", f"Place {i}") for i in range(1, 15)),
    )  # fmt: skip
    text = sms.prompt(question, 1, 5)
    assert "Reply 1 to 14" in text and "13 or 14" not in text
    assert segment_info(text).segments <= 2
    few = Question(
        id="f", type=QuestionType.SINGLE_CHOICE, code="f", label="Yes?", choices=(("y", "Y"), ("n", "N"))
    )
    assert sms.prompt(few, 1, 1).endswith("Reply 1 or 2")


@given(parts=st.lists(st.text(alphabet="abc .", max_size=300), min_size=1, max_size=3))
def test_joined_texts_are_one_text_only_when_it_fits(parts):
    joined = sms.join_texts(*parts)
    texts = split_texts(joined)
    if len(texts) == 1 and len([p for p in parts if p]) > 1:
        assert segment_info(joined).segments <= 2


@pytest.mark.django_db
def test_the_copy_is_offered_only_soon_after_sending(client, consultation):
    done_url = _send(client, consultation)["Location"]
    session = client.session
    key = f"consultation-{consultation.pk}-sent"
    session[key] = {**session[key], "sent_at": session[key]["sent_at"] - 31 * 60}
    session.save()
    html = client.get(done_url).content.decode()
    assert "Email me a copy" not in html and Response.objects.get().reference in html
    client.post(done_url, {"email": "next-person@example.org"})
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_a_used_invitation_on_check_your_answers_titles_the_page_error_once(client, consultation):
    from messaging.models import Contact

    contact = Contact.objects.create(name="Pat", mobile="+447400123456")
    client.get(
        f"/consultations/{consultation.pk}/invitation/{services.invitation_token(consultation.pk, contact.pk)}/"
    )
    _answer_all(client, consultation, REPLIES)
    services.submit_response(consultation, {}, channel="sms", contact_id=contact.pk)
    html = client.post(f"/consultations/{consultation.pk}/check-your-answers/").content.decode()
    assert re.search(r"<title>Error: (?!Error)", html)
    assert html.index("govuk-error-summary") < html.index("<h1")
