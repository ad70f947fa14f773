"""The one "questions left, reply to carry on" text before a consultation closes, to a parent part way
through it by text: quiet hours, the 24-hour window, consent and suppression, once only."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from messaging import services as messaging
from messaging.choices import Channel, ConsentSource, Purpose
from messaging.models import Message
from surveys import services, sms_reminders
from surveys.choices import ConversationStatus
from surveys.models import ConsultationPage, SmsConversation
from surveys.questions import Question, next_question, progress
from tests.factories import ConsentingParentFactory

from .texting import PHONE, text

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.now().year + 1


def winter(hour, minute=0, day=14):
    """A January time next year: UK time is UTC."""
    return datetime(NEXT_YEAR, 1, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def say(client, settings, keyword_consultation):
    return lambda body, **kwargs: text(client, settings, body, **kwargs)


@pytest.fixture
def parent():
    """A parent who agreed to texts about consultations."""
    return ConsentingParentFactory(mobile=PHONE)


@pytest.fixture
def part_way(say, parent):
    """The parent answered question 1 of 7 by text."""
    say("SUPPORT")
    say("2")
    return SmsConversation.objects.get()


def remind(page, now, closes_in=timedelta(hours=12)):
    ConsultationPage.objects.filter(pk=page.pk).update(closes_at=now + closes_in)
    services._page_cache.clear()
    return sms_reminders.send_carry_on_reminders(now)


def _reminders():
    return list(Message.objects.filter(idempotency_key__startswith=sms_reminders.KEY_PREFIX))


def test_a_parent_part_way_gets_one_reminder(part_way, keyword_consultation):
    sent = remind(keyword_consultation, winter(9))
    assert [s.conversation_id for s in sent] == [part_way.pk]
    message = Message.objects.get()
    assert message.channel == Channel.SMS and message.recipient == PHONE
    assert message.body == (
        "Kent Parent Voice: 'Support for parents' closes at 9pm today. You have 6 questions left: "
        "reply to carry on. Reply STOP to stop."
    )
    part_way.refresh_from_db()
    assert part_way.carry_on_reminder_sent_at == winter(9)


@pytest.mark.parametrize(
    ("now", "sent"),
    [
        (winter(8, 59), False),  # 8:59am
        (winter(7, 59), False),  # 7:59am
        (winter(20, 59), False),  # 8:59pm
        (winter(20, 0), False),  # 8pm: sending hours end
        (winter(9, 0), True),  # 9am
        (winter(19, 59), True),  # 7:59pm
        # Summer: UK time is an hour ahead of UTC.
        (datetime(NEXT_YEAR, 7, 14, 7, 59, tzinfo=UTC), False),  # 8:59am UK
        (datetime(NEXT_YEAR, 7, 14, 8, 0, tzinfo=UTC), True),  # 9am UK
        (datetime(NEXT_YEAR, 7, 14, 18, 59, tzinfo=UTC), True),  # 7:59pm UK
        (datetime(NEXT_YEAR, 7, 14, 19, 0, tzinfo=UTC), False),  # 8pm UK
    ],
)
def test_only_between_9am_and_8pm_uk_time(part_way, keyword_consultation, now, sent):
    assert bool(remind(keyword_consultation, now, closes_in=timedelta(hours=3))) is sent
    assert len(_reminders()) == int(sent)


def test_only_when_it_closes_within_24_hours(part_way, keyword_consultation):
    assert remind(keyword_consultation, winter(9), closes_in=timedelta(hours=24, minutes=1)) == []
    assert remind(keyword_consultation, winter(9), closes_in=timedelta(0)) == []  # closed
    assert remind(keyword_consultation, winter(9), closes_in=timedelta(hours=24))
    assert "closes at 9am tomorrow" in Message.objects.get().body


def test_only_once_ever(part_way, keyword_consultation, say):
    assert remind(keyword_consultation, winter(9))
    assert remind(keyword_consultation, winter(10)) == []
    say("4")  # they carry on, then stop again
    assert remind(keyword_consultation, winter(15)) == []
    assert len(_reminders()) == 1


def test_a_second_run_that_read_the_same_conversation_sends_nothing(part_way, keyword_consultation):
    now = winter(9)
    ConsultationPage.objects.filter(pk=keyword_consultation.pk).update(closes_at=now + timedelta(hours=5))
    services._page_cache.clear()
    # Another run claims it between this run's read and its claim.
    due = list(sms_reminders.due_conversations(now))
    assert due and sms_reminders.send_carry_on_reminders(now)
    assert sms_reminders.send_carry_on_reminders(now) == []
    assert len(_reminders()) == 1


def test_not_without_consent_to_texts_about_consultations(part_way, parent, keyword_consultation):
    messaging.record_consent(
        parent,
        channel=Channel.SMS,
        purpose=Purpose.CONSULTATIONS,
        granted=False,
        source=ConsentSource.WEB_FORM,
        wording="No more texts about consultations",
    )
    assert remind(keyword_consultation, winter(9)) == []


def test_not_to_a_number_we_do_not_know(say, keyword_consultation):
    say("SUPPORT")
    say("2")
    assert remind(keyword_consultation, winter(9)) == []


def test_not_with_consent_to_outcome_texts_only(say, keyword_consultation):
    ConsentingParentFactory(mobile=PHONE, consents=[(Channel.SMS, Purpose.OUTCOMES)])
    say("SUPPORT")
    say("2")
    assert remind(keyword_consultation, winter(9)) == []


def test_not_to_a_suppressed_number(part_way, keyword_consultation):
    messaging.suppress(Channel.SMS, PHONE, "provider_opt_out")
    assert remind(keyword_consultation, winter(9)) == []
    assert part_way.__class__.objects.get().carry_on_reminder_sent_at is None


def test_not_when_they_texted_in_the_last_two_hours(part_way, keyword_consultation):
    now = winter(12)
    SmsConversation.objects.update(updated_at=now - timedelta(hours=1, minutes=59))
    assert remind(keyword_consultation, now) == []
    SmsConversation.objects.update(updated_at=now - timedelta(hours=2, minutes=1))
    assert remind(keyword_consultation, now)


def test_not_before_the_first_answer(say, parent, keyword_consultation):
    say("SUPPORT")
    assert remind(keyword_consultation, winter(9)) == []


def test_not_once_finished_or_expired(part_way, keyword_consultation):
    SmsConversation.objects.update(status=ConversationStatus.COMPLETE, finished_at=timezone.now())
    assert remind(keyword_consultation, winter(9)) == []
    SmsConversation.objects.update(status=ConversationStatus.EXPIRED)
    assert remind(keyword_consultation, winter(9)) == []


def test_questions_left_follows_the_question_logic(say, parent, keyword_consultation):
    say("SUPPORT")
    for reply in ["1", "1", "1", "no"]:  # "no" to the forum question brings in a follow-up question
        say(reply)
    remind(keyword_consultation, winter(9))
    assert "You have 4 questions left" in Message.objects.get().body  # Q5/8 is next


def test_one_question_left(say, parent, keyword_consultation):
    say("SUPPORT")
    for reply in ["1", "1", "1", "1", "1", "SKIP"]:
        say(reply)
    remind(keyword_consultation, winter(9))
    assert "You have 1 question left: reply to carry on." in Message.objects.get().body


def test_a_paused_conversation_is_told_its_keyword(part_way, say, make_consultation, keyword_consultation):
    make_consultation(title="Childcare", slug="childcare", sms_keyword="CHILDCARE")
    say("CHILDCARE")
    SmsConversation.objects.update(updated_at=timezone.now() - timedelta(hours=3))
    remind(keyword_consultation, winter(9))
    body = Message.objects.get().body
    assert (
        "'Support for parents' closes at 9pm today. You have 6 questions left: text SUPPORT to carry on."
        in body
    )


def test_a_reply_after_the_reminder_carries_on(part_way, say):
    # Reminded three hours after their last text.
    reminded = timezone.now() - timedelta(minutes=5)
    SmsConversation.objects.update(
        updated_at=reminded - timedelta(hours=3), carry_on_reminder_sent_at=reminded
    )
    assert say("YES").startswith("Welcome back to 'Support for parents'.\nQ2/7")
    assert say("4").startswith("Q3/7")
    # Once they have replied, a reply that is not an answer is told so, as usual.
    assert say("YES").startswith("Sorry")


def test_the_command_sends_only_in_sending_hours(part_way, keyword_consultation, monkeypatch):
    ConsultationPage.objects.filter(pk=keyword_consultation.pk).update(closes_at=winter(22))
    services._page_cache.clear()
    monkeypatch.setattr(timezone, "now", lambda: winter(21))
    call_command("send_text_reminders")
    assert _reminders() == []
    monkeypatch.setattr(timezone, "now", lambda: winter(10))
    call_command("send_text_reminders")
    assert len(_reminders()) == 1


# --- Questions left: the question logic, for any questions and answers -------------------------


@st.composite
def schemas(draw):
    """Single-choice questions ("a" or "b"), each perhaps shown only for an answer to an earlier one."""
    questions = []
    for i in range(draw(st.integers(1, 8))):
        show_if = None
        if questions and draw(st.booleans()):
            source = draw(st.sampled_from(questions))
            show_if = (source.code, draw(st.sampled_from(["a", "b"])))
        questions.append(
            Question(
                id=f"id{i}", type="single_choice", code=f"q{i}", label=f"Q{i}", choices=(("a", "A"), ("b", "B")),
                show_if=show_if,
            )
        )  # fmt: skip
    return questions


@given(schemas(), st.lists(st.sampled_from(["a", "b"]), max_size=8))
def test_questions_left_is_what_the_dialogue_will_still_ask(schema, replies):
    answers = {}
    for reply in replies:  # answer as the dialogue asks: always the next question
        question = next_question(schema, answers)
        if question is None:
            break
        answers[question.id] = reply
    left = sms_reminders.questions_left(schema, answers)
    question = next_question(schema, answers)
    if question is None:
        assert left == 0
    else:
        number, total = progress(schema, answers, question)
        # "Q3/7" next means 5 left, counting this one.
        assert left == total - number + 1 >= 1
