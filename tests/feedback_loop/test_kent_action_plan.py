"""Kent's action plan as data: all nine priorities, every action, copied word for word from the
"Think Family" implementation plan for supporting parents (shared/seeds). The seed document is not read
here (the repository stands alone): the strings below were copied from it by hand."""

import re

import pytest

from feedback_loop.kent_action_plan import PRIORITIES

# Actions per priority, counted in the plan (its own numbering slips; see the module's docstring).
ACTION_COUNTS = {1: 10, 2: 8, 3: 6, 4: 3, 5: 14, 6: 5, 7: 7, 8: 19, 9: 6}

# Copied exactly from the plan, with its spelling and punctuation.
VERBATIM = {
    (1, 5): "Utilise family learning or parent support events through schools, children's centres, community "
    "venues and adult education centres to encourage mothers, fathers and carers to take up learning "
    "opportunities when appropriate.",
    (3, 2): "Work with Flos and PSAs to help them assess appropriate levels of parenting intervention versus "
    "parent and child need.",
    (5, 9): "Through the Parenting Implementation project and trialling parental involvement in "
    "commissioning-pilot the use of the family group conferencing approach \u2013 with budget holding lead "
    "professional to help shape package of services for family and avoid escalation of issues",
    (
        8,
        17,
    ): 'Using case studies, Children\'s social services to facilitate "professional judgement" sessions '
    "through partnership or cross partnership events to promote a common response to referrals and "
    "understanding of roles.",
    (9, 6): "Pilot new ways to get information or consult with parents and carers e.g. the web, local media, "
    "help lines, text messaging and evaluate and share successes and learning.",
}


def by_number(number):
    return next(p for p in PRIORITIES if p["number"] == number)


def test_nine_priorities_numbered_in_order_with_the_headings_titles():
    assert [p["number"] for p in PRIORITIES] == list(range(1, 10))
    assert by_number(1)["title"] == "Addressing Poverty"  # the heading; the list says "Reducing poverty"
    assert by_number(9)["title"] == "Respecting, involving and Listening to Parents"


@pytest.mark.parametrize(("number", "count"), ACTION_COUNTS.items())
def test_each_priority_has_the_plans_number_of_actions(number, count):
    assert len(by_number(number)["actions"]) == count


@pytest.mark.parametrize(("key", "text"), VERBATIM.items())
def test_actions_are_copied_word_for_word(key, text):
    priority, action = key
    assert by_number(priority)["actions"][action - 1] == text


def test_no_markup_numbering_or_stray_whitespace_is_left():
    for priority in PRIORITIES:
        for line in priority["actions"] + priority["outcomes"] + priority["indicators"]:
            assert line == " ".join(line.split()), line
            assert not re.search(r"<p>|</p>|\||\*\*", line), line
        for text in priority["actions"]:
            assert not re.match(r"\d+\.", text), text
            assert len(text) <= 1500  # Action.text's limit


def test_outcomes_and_indicators():
    for priority in PRIORITIES:
        assert priority["outcomes"], priority["number"]
        for line in priority["outcomes"]:
            assert re.match(r"(Outcome \d[a-z]: |Enabler [A-D]- )", line), line
        for line in priority["indicators"]:
            assert re.match(r"NI \d+ ", line), line  # "N1" OCR slips are written "NI"
    assert "NI 55 Obesity among primary school children in reception year" in by_number(2)["indicators"]
    assert (
        by_number(8)["outcomes"][0]
        == "Enabler A- Integrated service delivery teams that are easily accessible"
    )
    assert by_number(8)["outcomes"][-1] == "Outcome 8c: Ensure vulnerable children are safeguarded"
    assert by_number(9)["indicators"] == []  # the plan lists none for priority 9


def test_the_action_texts_are_unique():
    texts = [text for priority in PRIORITIES for text in priority["actions"]]
    assert len(texts) == len(set(texts)) == sum(ACTION_COUNTS.values())
