"""The SMS dialogue end to end: signed Twilio inbound requests through the real webhook, as Twilio
sends them, and the TwiML replies read back."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from messaging.choices import Channel, ConsentSource, Purpose
from messaging.models import Contact, InboundMessage
from messaging.services import record_consent
from messaging.sms import TEXT_BREAK, segment_info, split_texts
from surveys import services
from surveys.choices import Anonymity, ConversationStatus, ResponseChannel, TurnOutcome
from surveys.models import Answer, ConsultationPage, Response, SmsConversation, SmsTurn

from .texting import PHONE, invite_by_text, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def say(client, settings, keyword_consultation):
    return lambda body, **kwargs: text(client, settings, body, **kwargs)


def _conversation(phone=PHONE):
    return SmsConversation.objects.get(phone=phone)


def test_a_parent_answers_every_question_type_by_text(say, keyword_consultation):
    replies = [say("support")]
    # The welcome is a text of its own; question 1 follows in the next.
    welcome, first = replies[0].split(TEXT_BREAK)
    assert welcome.startswith("Thank you for taking part in 'Support for parents'.")
    assert "reply to each one" in welcome and "HELP" in welcome
    assert first.startswith("Q1/7 Where do you go first")
    assert "1=My child's school or nursery" in replies[0] and "Reply 1, 2, 3, 4 or 5" in replies[0]
    replies.append(say("2"))
    assert replies[-1].startswith("Q2/7 How easy") and "Reply 1 (Very hard) to 5 (Very easy)" in replies[-1]
    replies.append(say("4"))
    assert replies[-1].startswith("Q3/7 What would help you most") and "7=Other" in replies[-1]
    replies.append(say("1, 7 a bus pass"))
    assert replies[-1].startswith("Q4/7 Have you been to a parent forum")
    replies.append(say("No"))  # an option's label is accepted as well as its number
    # The show-if question appears, and the total grows with it.
    assert replies[-1].startswith("Q5/8 What would make it easier") and "or SKIP" in replies[-1]
    replies.append(say("Evening meetings, and a creche"))
    assert replies[-1].startswith("Q6/8 How would you like us to ask")
    replies.append(say("1"))
    assert replies[-1].startswith("Q7/8 How many children") and "Reply with a number" in replies[-1]
    replies.append(say("skip"))
    assert replies[-1].startswith("Q8/8 Is there anything else")
    replies.append(say("Thank you for asking us"))
    assert replies[-1].startswith(
        "You have finished, thank you! Your answers are saved. See what we decide at http://testserver/"
    )

    response = Response.objects.get()
    assert response.channel == ResponseChannel.SMS and response.contact is None
    answers = {(a.question_id, a.choice_key, a.text, a.number) for a in Answer.objects.all()}
    ids = {q.code: q.id for q in services.schema_for(keyword_consultation)}
    assert answers == {
        (ids["first-place"], "childrens-centre", "", None),
        (ids["ease"], "4", "", 4),
        (ids["would-help"], "courses", "", None),
        (ids["would-help"], "other", "a bus pass", None),
        (ids["forum"], "no", "", None),
        (ids["forum-barrier"], "", "Evening meetings, and a creche", None),
        (ids["how-asked"], "text", "", None),
        (ids["anything-else"], "", "Thank you for asking us", None),
    }
    assert set(Answer.objects.values_list("channel", flat=True)) == {ResponseChannel.SMS}
    conversation = _conversation()
    assert conversation.status == ConversationStatus.COMPLETE and conversation.response == response
    assert conversation.turns.count() == 9
    assert conversation.turns.last().outcome == TurnOutcome.COMPLETED
    # Every reply is plain GSM-7, and each question fits one or two texts.
    for part in (part for reply in replies for part in split_texts(reply)):
        assert segment_info(part).encoding == "GSM-7", part
        assert segment_info(part).segments <= 2, part


def test_invalid_replies_get_specific_reprompts_then_help_and_the_web_link(say, keyword_consultation):
    say("SUPPORT")
    assert say("9") == "Sorry, 9 is not one of the choices. Reply 1, 2, 3, 4 or 5."
    assert say("skip") == "Q1 needs an answer. Reply 1, 2, 3, 4 or 5."
    third = say("the school")
    assert third.startswith("Sorry, the school is not one of the choices.")
    assert (
        f"Reply HELP for help, or answer online: http://testserver/consultations/{keyword_consultation.pk}/start/"
        in third
    )
    assert say("1").startswith("Q2/7")
    assert _conversation().invalid_replies == 0
    assert say("6") == "Sorry, 6 is not one of the choices. Reply with a number from 1 to 5."
    say("3")
    assert (
        say("2 9") == "Sorry, 9 is not one of the choices. Reply with all the numbers that apply, e.g. 1 3."
    )
    assert say("7") == "Say what 'Other' is after the numbers, e.g. 7 my answer."
    say("2")
    say("1")
    say("4")
    assert say("twenty five") == "Reply with a whole number, like 3."
    assert say("25") == "Reply with a number that is 20 or less."
    assert say("3").startswith("Q7/7")
    assert Response.objects.count() == 0  # nothing is saved until the last answer


def test_help_back_and_restart(say):
    say("SUPPORT")
    say("2")
    help_text = say("HELP")
    assert help_text.startswith("Reply with a number from 1 to 5. BACK goes back, RESTART starts again")
    assert "answer online: http://testserver/consultations/" in help_text
    assert "\nQ2/7 How easy" in help_text  # HELP repeats the question
    back = say("back")
    assert back.startswith("You said: A children's centre. Reply again to change it.\nQ1/7")
    assert say("back").startswith("This is the first question.\nQ1/7")
    assert say("5").startswith("Q2/7")
    # RESTART asks first; answering the question instead carries on with nothing lost.
    assert say("RESTART") == (
        "Reply RESTART again or YES to start again: your answers so far will be deleted. "
        "Or answer Q2 to carry on."
    )
    assert say("4").startswith("Q3/7")
    assert len(_conversation().answers) == 2
    say("RESTART")
    assert say("restart").startswith("Your answers are deleted. Starting again.\nQ1/7")
    assert _conversation().answers == {}
    assert [t.outcome for t in _conversation().turns.all()] == [
        TurnOutcome.STARTED,
        TurnOutcome.ANSWERED,
        TurnOutcome.HELP,
        TurnOutcome.BACK,
        TurnOutcome.BACK,
        TurnOutcome.ANSWERED,
        TurnOutcome.RESTART_ASKED,
        TurnOutcome.ANSWERED,
        TurnOutcome.RESTART_ASKED,
        TurnOutcome.RESTARTED,
    ]


def test_zero_is_not_one_of_the_choices(say):
    say("SUPPORT")
    assert say("0") == "Sorry, 0 is not one of the choices. Reply 1, 2, 3, 4 or 5."
    say("1")
    say("1")
    assert say("1 0").startswith("Sorry, 0 is not one of the choices. Reply with all the numbers")


def test_yes_confirms_a_restart(say):
    say("SUPPORT")
    say("2")
    say("RESTART")
    assert say("Yes").startswith("Your answers are deleted. Starting again.")
    assert _conversation().answers == {}
    assert say("RESTART").startswith("Starting again.")  # nothing to lose: no question asked


def test_changing_an_earlier_answer_drops_the_answers_it_hid(say, keyword_consultation):
    say("SUPPORT")
    for reply in ["1", "1", "1", "2"]:  # forum: no -> the barrier question appears
        say(reply)
    say("Evenings")
    say("BACK")  # back to the barrier question
    say("BACK")  # back to 'have you been to a forum'
    assert say("1").startswith("Q5/7 How would you like")  # yes: the barrier question is gone
    ids = {q.code: q.id for q in services.schema_for(keyword_consultation)}
    assert ids["forum-barrier"] not in _conversation().answers


def test_a_split_long_answer_is_joined_onto_the_last_answer(say, keyword_consultation):
    say("SUPPORT")
    for reply in ["1", "1", "1", "2"]:
        say(reply)
    say("Meetings in the evening would help, and somewhere for the children")
    joined = say("to play while we talk")  # the rest of a long text, which is no answer to Q6
    assert joined.startswith("We added that to your last answer.\nQ6/8")
    ids = {q.code: q.id for q in services.schema_for(keyword_consultation)}
    assert _conversation().answers[ids["forum-barrier"]] == (
        "Meetings in the evening would help, and somewhere for the children to play while we talk"
    )
    # Much later, the same kind of text is just not an answer.
    SmsConversation.objects.update(last_answered_at=timezone.now() - timedelta(minutes=5))
    assert say("and more").startswith("Sorry, and more is not one of the choices")


def test_a_conversation_pauses_for_another_consultation_and_resumes_after_a_gap(
    say, keyword_consultation, make_consultation
):
    other = make_consultation(title="Childcare", slug="childcare", sms_keyword="CHILDCARE")
    say("SUPPORT")
    say("3")
    assert say("childcare").startswith("Thank you for taking part in 'Childcare'.")
    assert SmsConversation.objects.get(consultation=keyword_consultation).status == ConversationStatus.PAUSED
    SmsConversation.objects.update(updated_at=timezone.now() - timedelta(days=3))
    resumed = say("Support")
    assert resumed.startswith("Welcome back to 'Support for parents'.\nQ2/7")
    assert SmsConversation.objects.get(consultation=other).status == ConversationStatus.PAUSED
    assert say("5").startswith("Q3/7")
    # Back days later with something that is not an answer: reminded where they were.
    SmsConversation.objects.update(updated_at=timezone.now() - timedelta(days=2))
    reminder = say("hello?")
    assert reminder.startswith(
        "Welcome back to 'Support for parents'. Sorry, hello? is not one of the choices"
    )
    assert "Q3/7 What would help you most" in split_texts(reminder)[-1]


def test_a_conversation_expires_politely_when_the_consultation_closes(say, keyword_consultation):
    say("SUPPORT")
    say("1")
    ConsultationPage.objects.filter(pk=keyword_consultation.pk).update(
        closes_at=timezone.now() - timedelta(hours=1)
    )
    services._page_cache.clear()
    reply = say("3")
    assert reply.startswith("Sorry, 'Support for parents' closed on ")
    assert "so we could not take your answers. Thank you for your time." in reply
    assert _conversation().status == ConversationStatus.EXPIRED
    assert Response.objects.count() == 0
    assert say("3") == ""  # no conversation any more: nothing to answer
    assert say("SUPPORT").startswith("Sorry, 'Support for parents' closed on")


def test_a_consultation_not_open_yet_says_when_it_opens(say, keyword_consultation):
    # 8am UTC on the first Monday of July next year: 9am UK time (summer time).
    first = date(timezone.localdate().year + 1, 7, 1)
    monday = first + timedelta(days=-first.weekday() % 7)
    ConsultationPage.objects.filter(pk=keyword_consultation.pk).update(
        opens_at=datetime(monday.year, 7, monday.day, 8, tzinfo=UTC)
    )
    services._page_cache.clear()
    reply = say("SUPPORT")
    assert f"'Support for parents' opens at 9am on Monday {monday.day} July {monday.year}." in reply
    assert "Text SUPPORT again then." in reply
    assert SmsConversation.objects.count() == 0


def test_a_duplicate_delivery_is_answered_once(say):
    say("SUPPORT")
    first = say("2", sid="SM" + "d" * 32)
    again = say("2", sid="SM" + "d" * 32)
    assert first == again and first.startswith("Q2/7")
    assert len(_conversation().answers) == 1
    assert SmsTurn.objects.count() == 2
    assert say("1").startswith("Q3/7")


def test_one_text_response_per_phone_per_consultation(say):
    say("SUPPORT")
    for reply in ["1", "1", "1", "1", "1", "SKIP", "SKIP"]:
        say(reply)
    assert Response.objects.count() == 1
    assert say("SUPPORT").startswith("You have already answered 'Support for parents'. Thank you!")
    assert SmsConversation.objects.count() == 1


def test_stop_silences_the_dialogue_until_start(say):
    say("SUPPORT")
    assert "you will not get any more texts" in say("STOP")
    assert say("1") == ""
    assert _conversation().answers == {}
    say("START")
    assert say("1").startswith("Q2/7")


def test_unrelated_texts_get_no_dialogue_reply(say):
    assert say("hello there") == ""
    assert say("YES") == ""  # no invitation was sent to this number
    assert SmsConversation.objects.count() == 0


def test_yes_to_an_invitation_links_the_response_and_uses_the_invitation(say, client, keyword_consultation):
    contact = Contact.objects.create(name="Sam", mobile=PHONE)
    record_consent(
        contact, channel=Channel.SMS, purpose=Purpose.OUTCOMES, granted=True, source=ConsentSource.WEB_FORM,
        wording="Tell me the outcome",
    )  # fmt: skip
    invite_by_text(keyword_consultation, contact)
    assert say("Yes").startswith("Thank you for taking part in 'Support for parents'.")
    help_text = say("help")
    assert services.invitation_url(keyword_consultation.pk, contact.pk) in help_text
    for reply in ["1", "1", "1", "1", "1", "SKIP", "SKIP"]:
        last = say(reply)
    assert last == "You have finished, thank you! Your answers are saved. We will text you when we decide."
    response = Response.objects.get()
    assert response.contact == contact
    assert response.invitation_key == services.invitation_key(keyword_consultation.pk, contact.pk)
    # The same invitation cannot be used again, by text or on the web (a YES soon after the thank-you
    # is about being told what is decided: see test_sms_tell_me.py).
    SmsConversation.objects.update(finished_at=timezone.now() - timedelta(days=8))
    assert say("YES").startswith("You have already answered")
    token = services.invitation_token(keyword_consultation.pk, contact.pk)
    page = client.get(f"/consultations/{keyword_consultation.pk}/invitation/{token}/")
    assert b"already" in page.content


def test_an_anonymous_consultation_keeps_nothing_that_ties_answers_to_a_phone(say, keyword_consultation):
    ConsultationPage.objects.filter(pk=keyword_consultation.pk).update(anonymity=Anonymity.ANONYMOUS)
    services._page_cache.clear()
    contact = Contact.objects.create(name="Sam", mobile=PHONE)
    invite_by_text(keyword_consultation, contact)
    say("YES")
    for reply in ["1", "1", "1", "2", "My secret answer", "1", "SKIP", "SKIP"]:
        say(reply)
    response = Response.objects.get()
    assert response.contact is None and response.invitation_key  # one per invitation, still
    conversation = _conversation()
    assert conversation.response is None and conversation.answers == {}
    assert not InboundMessage.objects.filter(body__contains="secret").exists()
    assert set(InboundMessage.objects.values_list("body", flat=True)) == {""}


def test_question_previews_fit_two_texts(keyword_consultation):
    from surveys.sms_dialogue import question_previews

    previews = question_previews(keyword_consultation)
    assert [p.number for p in previews] == list(range(1, len(previews) + 1))
    assert all(p.segments <= 2 and not p.too_long for p in previews)
    assert previews[0].text.startswith("Q1/8 Where do you go first")


@pytest.mark.django_db(transaction=True)
def test_two_texts_at_once_are_answered_one_after_the_other(settings, keyword_consultation):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks are a PostgreSQL matter; SQLite runs one writing transaction at a time.")
    text(Client(), settings, "SUPPORT")
    barrier = threading.Barrier(2)
    replies = []

    def send(body):
        barrier.wait()
        try:
            replies.append(text(Client(), settings, body))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(body,)) for body in ["2", "4"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    conversation = _conversation()
    ids = {q.code: q.id for q in services.schema_for(keyword_consultation)}
    # One text answered Q1 and the other Q2: neither question skipped, neither answered twice.
    assert set(conversation.answers) == {ids["first-place"], ids["ease"]}
    assert sorted(r[:5] for r in replies) == ["Q2/7 ", "Q3/7 "]


def test_a_keyword_must_have_a_letter_so_numbered_replies_stay_answers(consultation):
    consultation.sms_keyword = "2026"
    assert "at least one letter" in services.sms_keyword_problem(consultation)
    consultation.sms_keyword = "CARE2026"
    assert services.sms_keyword_problem(consultation) is None


def test_the_demo_has_text_conversations_an_officer_can_read(demo):
    conversations = SmsConversation.objects.order_by("phone")
    assert [c.status for c in conversations] == [
        ConversationStatus.COMPLETE,
        ConversationStatus.ACTIVE,
        ConversationStatus.COMPLETE,  # the disclosure the safeguarding lead's demo case is about
    ]
    assert conversations[0].response.channel == ResponseChannel.SMS
    assert conversations[1].invalid_replies == 0 and len(conversations[1].answers) == 2
    assert conversations[2].invalid_replies == 0 and conversations[2].response.answers.exists()


def test_the_consultation_page_says_which_number_to_text(client, keyword_consultation):
    page = client.get(keyword_consultation.url).content.decode()
    assert "Text <strong>SUPPORT</strong> to" in page
    assert 'href="sms:+447400000001?&amp;body=SUPPORT">07400 000001</a>' in page


def test_a_text_after_finishing_gets_one_reply_and_no_more(say):
    say("SUPPORT")
    for reply in ["1", "1", "1", "1", "1", "SKIP", "SKIP"]:
        last = say(reply)
    assert last.startswith("You have finished, thank you!")
    # A YES asks to be told what is decided (tests/surveys/test_sms_tell_me.py), and is no "thanks".
    assert say("YES").startswith("Thank you. We will text you when we decide about")
    assert say("Thanks!") == "You have finished 'Support for parents', thank you. Your answers are saved."
    assert say("Thanks again") == ""  # one reply only, so two automatic replies cannot loop
    assert Response.objects.count() == 1
