"""Review of issue #13: a reply may be several texts, split at messaging.sms.TEXT_BREAK. What a parent
typed and is quoted back to them must never carry that separator (nor line breaks) into our reply."""

from hypothesis import given
from hypothesis import strategies as st

from messaging.sms import TEXT_BREAK, split_texts
from surveys import sms, sms_dialogue
from surveys.choices import QuestionType
from surveys.questions import Question

CHOICE = Question(
    id="q", type=QuestionType.SINGLE_CHOICE, code="q", label="Which?", choices=(("a", "A"), ("b", "B"))
)


def test_a_wrong_reply_with_the_text_separator_in_it_is_quoted_in_one_text():
    reply = sms.problem(CHOICE, "Select one", f"x{TEXT_BREAK}y")
    assert TEXT_BREAK not in reply and "\n" not in reply
    assert len(split_texts(reply)) == 1
    assert reply.startswith("Sorry, x --- y is not one of the choices.")


@given(st.text(alphabet="ab-\n\r\t ", max_size=60))
def test_what_a_parent_typed_is_quoted_on_one_line(typed):
    for quoted in (sms.problem(CHOICE, "Select one", typed), sms_dialogue._shorten(typed, 40)):
        assert TEXT_BREAK not in quoted and "\n" not in quoted and "\r" not in quoted
