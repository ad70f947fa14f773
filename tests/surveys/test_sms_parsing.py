import pytest

from messaging.sms import segment_info
from surveys import sms
from surveys.choices import QuestionType
from surveys.questions import AnswerError, Question, clean_answer

SINGLE = Question(
    id="q1",
    type=QuestionType.SINGLE_CHOICE,
    code="forum",
    label="Been to a forum?",
    choices=(("yes", "Yes"), ("no", "No")),
)
SCALE = Question(
    id="q2",
    type=QuestionType.SCALE,
    code="ease",
    label="How easy?",
    choices=tuple((k, k) for k in "12345"),
    low_label="Very hard",
    high_label="Very easy",
)
MULTI = Question(
    id="q3",
    type=QuestionType.MULTIPLE_CHOICE,
    code="help",
    label="What helps?",
    choices=(("a", "Groups"), ("b", "Money"), ("c", "Childcare")),
    other_option=True,
)
NUMBER = Question(
    id="q4",
    type=QuestionType.NUMBER,
    code="kids",
    label="How many children?",
    required=False,
    min_value=0,
    max_value=20,
)
TEXT = Question(
    id="q5", type=QuestionType.FREE_TEXT, code="more", label="Anything else?", required=False, max_length=500
)


def test_prompts_number_the_options_and_fit_one_segment():
    assert sms.prompt(SINGLE, 1, 5) == "Q1/5 Been to a forum? 1=Yes 2=No Reply 1 or 2"
    assert sms.prompt(SCALE, 2, 5) == "Q2/5 How easy? Reply 1 (Very hard) to 5 (Very easy)"
    assert (
        sms.prompt(MULTI, 3, 5)
        == "Q3/5 What helps? 1=Groups 2=Money 3=Childcare 4=Other Reply with all the numbers that apply, e.g. 1 3"
    )
    assert sms.prompt(NUMBER, 4, 5).endswith("Reply with a number or SKIP")
    for question in (SINGLE, SCALE, MULTI, NUMBER, TEXT):
        assert segment_info(sms.prompt(question, 9, 12)).segments == 1


@pytest.mark.parametrize(
    ("question", "reply", "expected"),
    [
        (SINGLE, "2", "no"),
        (SINGLE, " 1. ", "yes"),
        (SCALE, "4", "4"),
        (MULTI, "1 3", {"keys": ["a", "c"], "other": ""}),
        (MULTI, "3,1", {"keys": ["a", "c"], "other": ""}),
        (MULTI, "1 and 3", {"keys": ["a", "c"], "other": ""}),
        (MULTI, "2 4 help with the bus", {"keys": ["b", "other"], "other": "help with the bus"}),
        (NUMBER, "3", 3),
        (TEXT, "Evening groups please", "Evening groups please"),
    ],
)
def test_replies_become_answers(question, reply, expected):
    raw, other = sms.parse_reply(question, reply)
    assert clean_answer(question, raw, other) == expected


@pytest.mark.parametrize(
    ("question", "reply", "message"),
    [
        (SINGLE, "3", "Select one of the options given"),
        (SINGLE, "maybe", "Select one of the options given"),
        (SCALE, "7", "Select one of the options given"),
        (MULTI, "9", "Select from the options given"),
        (MULTI, "lots", "Select from the options given"),
        (NUMBER, "two", "Enter a whole number"),
    ],
)
def test_bad_replies_get_the_web_flows_specific_messages(question, reply, message):
    raw, other = sms.parse_reply(question, reply)
    with pytest.raises(AnswerError) as error:
        clean_answer(question, raw, other)
    assert error.value.message.startswith(message)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("skip", "SKIP"),
        (" Back ", "BACK"),
        ("HELP!", "HELP"),
        ("restart", "RESTART"),
        ("skip it", None),
        ("2", None),
    ],
)
def test_commands_are_whole_replies(text, expected):
    assert sms.command(text) == expected


def test_typographic_characters_become_gsm7_lookalikes():
    from messaging.sms import gsm7_lookalikes

    curly = "Are you a\u2026 parent\u2019s \u201cfriend\u201d \u2013 or not?"
    assert segment_info(curly).encoding == "UCS-2"
    plain = gsm7_lookalikes(curly)
    assert plain == 'Are you a... parent\'s "friend" - or not?'
    assert segment_info(plain).encoding == "GSM-7"


def test_a_choice_can_be_given_by_its_label():
    assert sms.parse_reply(SINGLE, "yes") == ("yes", "")
    assert sms.parse_reply(SINGLE, "No.") == ("no", "")
    assert sms.parse_reply(SINGLE, "3") == ("3", "")  # out of range: clean_answer explains
