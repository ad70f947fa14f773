"""The optional 'About you' questions used for reach reporting. Their ids are fixed, and their answers
are also copied onto the Response (district, parent role, children's ages, ethnic group, disability)
for breakdowns. The role question lists every ParentRole, so a role added there is asked everywhere:
on the web, on paper and by text (where its list still fits two segments: see tests).

The wording is translated when the questions are made (each time a page's questions are asked for),
into the language active then: the page's on the web, the conversation's by text. Plain strings, not
lazy ones, because results and exports join the labels."""

from django.utils.translation import gettext, gettext_noop

from messaging.choices import ChildAgeBand, ParentRole

from .choices import Disability, Ethnicity, QuestionType
from .questions import Question

PREFER_NOT = ("prefer_not_to_say", gettext_noop("Prefer not to say"))
ROLE_ID, AGES_ID, DISTRICT_ID, DISABILITY_ID, ETHNICITY_ID = (
    "about-role",
    "about-ages",
    "about-district",
    "about-disability",
    "about-ethnicity",
)
ABOUT_YOU_SECTION = gettext_noop("About you")
ABOUT_YOU_TEXT = gettext_noop(
    "These questions help us check we are hearing from all kinds of families. You can skip any of them."
)
# The choices' labels live in messaging and surveys.choices (officers' words too); their translations
# are in the catalog under the same English words.
_CHOICE_LABELS = (
    gettext_noop("Mother"),
    gettext_noop("Father"),
    gettext_noop("Step-parent"),
    gettext_noop("Adoptive parent"),
    gettext_noop("Grandparent"),
    gettext_noop("Foster carer"),
    gettext_noop("Kinship carer (family or friend bringing up a child)"),
    gettext_noop("Parent of a young carer"),
    gettext_noop("Other carer"),
    gettext_noop("Under 5"),
    gettext_noop("5 to 10"),
    gettext_noop("11 to 15"),
    gettext_noop("16 to 19"),
    gettext_noop("20 to 25 with special educational needs or disabilities"),
    gettext_noop("Yes"),
    gettext_noop("No"),
    gettext_noop("Asian or Asian British"),
    gettext_noop("Black, Black British, Caribbean or African"),
    gettext_noop("Mixed or multiple ethnic groups"),
    gettext_noop("White"),
    gettext_noop("Another ethnic group"),
)


def _translated(choices):
    return tuple((key, gettext(str(label))) for key, label in choices)


def about_you_questions(districts, *, equality=False):
    """`districts` is [(slug, name), ...]: place names, not translated."""
    prefer_not = (PREFER_NOT[0], gettext(PREFER_NOT[1]))
    section, section_text = gettext(ABOUT_YOU_SECTION), gettext(ABOUT_YOU_TEXT)
    questions = [
        Question(
            id=ROLE_ID,
            type=QuestionType.SINGLE_CHOICE,
            code="about-role",
            label=gettext("Are you a…"),
            required=False,
            choices=(*_translated(ParentRole.choices), prefer_not),
            section=section,
            section_text=section_text,
        ),
        Question(
            id=AGES_ID,
            type=QuestionType.MULTIPLE_CHOICE,
            code="about-ages",
            label=gettext("How old are the children you look after?"),
            hint=gettext("Select all that apply."),
            required=False,
            choices=_translated(ChildAgeBand.choices),
        ),
        Question(
            id=DISTRICT_ID,
            type=QuestionType.SINGLE_CHOICE,
            code="about-district",
            label=gettext("Where do you live?"),
            required=False,
            choices=(*districts, prefer_not),
        ),
    ]
    if equality:
        questions += [
            Question(
                id=DISABILITY_ID,
                type=QuestionType.SINGLE_CHOICE,
                code="about-disability",
                label=gettext(
                    "Do you, or a child you look after, have a disability or long-term health condition?"
                ),
                required=False,
                choices=(*_translated(Disability.choices), prefer_not),
            ),
            Question(
                id=ETHNICITY_ID,
                type=QuestionType.SINGLE_CHOICE,
                code="about-ethnicity",
                label=gettext("What is your ethnic group?"),
                required=False,
                choices=(*_translated(Ethnicity.choices), prefer_not),
            ),
        ]
    return questions
