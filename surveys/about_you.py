"""The optional 'About you' questions used for reach reporting. Their ids are fixed, and their answers
are also copied onto the Response (district, parent role, children's ages, ethnic group, disability)
for breakdowns. The role question lists every ParentRole, so a role added there is asked everywhere:
on the web, on paper and by text (where its list still fits two segments: see tests)."""

from messaging.choices import ChildAgeBand, ParentRole

from .choices import Disability, Ethnicity, QuestionType
from .questions import Question

PREFER_NOT = ("prefer_not_to_say", "Prefer not to say")
ROLE_ID, AGES_ID, DISTRICT_ID, DISABILITY_ID, ETHNICITY_ID = (
    "about-role",
    "about-ages",
    "about-district",
    "about-disability",
    "about-ethnicity",
)
ABOUT_YOU_SECTION = "About you"
ABOUT_YOU_TEXT = (
    "These questions help us check we are hearing from all kinds of families. You can skip any of them."
)


def about_you_questions(districts, *, equality=False):
    """`districts` is [(slug, name), ...]."""
    questions = [
        Question(
            id=ROLE_ID,
            type=QuestionType.SINGLE_CHOICE,
            code="about-role",
            label="Are you a…",
            required=False,
            choices=(*ParentRole.choices, PREFER_NOT),
            section=ABOUT_YOU_SECTION,
            section_text=ABOUT_YOU_TEXT,
        ),
        Question(
            id=AGES_ID,
            type=QuestionType.MULTIPLE_CHOICE,
            code="about-ages",
            label="How old are the children you look after?",
            hint="Select all that apply.",
            required=False,
            choices=tuple(ChildAgeBand.choices),
        ),
        Question(
            id=DISTRICT_ID,
            type=QuestionType.SINGLE_CHOICE,
            code="about-district",
            label="Where do you live?",
            required=False,
            choices=(*districts, PREFER_NOT),
        ),
    ]
    if equality:
        questions += [
            Question(
                id=DISABILITY_ID,
                type=QuestionType.SINGLE_CHOICE,
                code="about-disability",
                label="Do you, or a child you look after, have a disability or long-term health condition?",
                required=False,
                choices=(*Disability.choices, PREFER_NOT),
            ),
            Question(
                id=ETHNICITY_ID,
                type=QuestionType.SINGLE_CHOICE,
                code="about-ethnicity",
                label="What is your ethnic group?",
                required=False,
                choices=(*Ethnicity.choices, PREFER_NOT),
            ),
        ]
    return questions
