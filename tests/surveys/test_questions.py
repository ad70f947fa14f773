import pytest

from surveys.choices import QuestionType
from surveys.questions import (
    SKIPPED,
    AnswerError,
    Question,
    clean_answer,
    display_answer,
    kept_answers,
    next_question,
    previous_question,
    progress,
)

FORUM = Question(
    id="q1",
    type=QuestionType.SINGLE_CHOICE,
    code="forum",
    label="Been?",
    choices=(("yes", "Yes"), ("no", "No")),
)
WHY_NOT = Question(
    id="q2",
    type=QuestionType.FREE_TEXT,
    code="why",
    label="Why not?",
    required=False,
    show_if=("forum", "no"),
    max_length=20,
)
SCORE = Question(
    id="q3", type=QuestionType.SCALE, code="score", label="Score", choices=tuple((k, k) for k in "12345")
)
HELP = Question(
    id="q4",
    type=QuestionType.MULTIPLE_CHOICE,
    code="help",
    label="Help?",
    choices=(("a", "A"), ("b", "B")),
    other_option=True,
)
KIDS = Question(id="q5", type=QuestionType.NUMBER, code="kids", label="Kids", min_value=0, max_value=20)
SCHEMA = [FORUM, WHY_NOT, SCORE, HELP, KIDS]


def test_next_question_follows_show_if():
    assert next_question(SCHEMA, {}) == FORUM
    assert next_question(SCHEMA, {"q1": "yes"}) == SCORE
    assert next_question(SCHEMA, {"q1": "no"}) == WHY_NOT
    assert next_question(SCHEMA, {"q1": "no", "q2": SKIPPED}) == SCORE
    done = {"q1": "yes", "q3": "4", "q4": {"keys": ["a"], "other": ""}, "q5": 2}
    assert next_question(SCHEMA, done) is None


def test_progress_and_back_depend_on_answers_so_far():
    assert progress(SCHEMA, {"q1": "yes"}, SCORE) == (2, 4)
    assert progress(SCHEMA, {"q1": "no"}, SCORE) == (3, 5)
    assert previous_question(SCHEMA, {"q1": "no"}, SCORE) == WHY_NOT
    assert previous_question(SCHEMA, {"q1": "yes"}, SCORE) == FORUM
    assert previous_question(SCHEMA, {}, FORUM) is None


def test_changing_an_earlier_answer_drops_answers_to_questions_now_hidden():
    answers = {"q1": "yes", "q2": "Too far", "q3": "2"}
    assert kept_answers(SCHEMA, answers) == {"q1": "yes", "q3": "2"}


@pytest.mark.parametrize(
    ("question", "raw", "message"),
    [
        (FORUM, "", "Select an answer"),
        (FORUM, "maybe", "Select one of the options given"),
        (SCORE, "", "Select a number from 1 to 5"),
        (SCORE, "6", "Select one of the options given"),
        (HELP, [], "Select all that apply"),
        (HELP, ["z"], "Select from the options given"),
        (HELP, ["other"], "Say what 'other' means for you"),
        (KIDS, "", "Enter a number"),
        (KIDS, "two", "Enter a whole number, like 3"),
        (KIDS, "21", "Enter a number that is 20 or less"),
        (KIDS, "-1", "Enter a number that is 0 or more"),
        (WHY_NOT, "x" * 21, "Your answer must be 20 characters or fewer"),
    ],
)
def test_each_bad_answer_gets_a_specific_message_and_keeps_what_was_typed(question, raw, message):
    with pytest.raises(AnswerError) as error:
        clean_answer(question, raw)
    assert error.value.message.startswith(message)
    assert error.value.kept == raw


def test_good_answers_are_normalised():
    assert clean_answer(KIDS, " 1,2 ") == 12
    assert clean_answer(HELP, ["b", "other", "a"], " Time ") == {"keys": ["a", "b", "other"], "other": "Time"}
    assert clean_answer(HELP, ["a"], "ignored") == {"keys": ["a"], "other": ""}
    assert clean_answer(WHY_NOT, "   ") == SKIPPED


def test_display_answer_in_words():
    assert display_answer(FORUM, "no") == "No"
    assert display_answer(SCORE, "4") == "4 out of 5"
    assert display_answer(HELP, {"keys": ["a", "other"], "other": "Time"}) == "A, Other: Time"
    assert display_answer(WHY_NOT, SKIPPED) == "Not answered"
