"""Equality answers (ethnic group, disability) and the wider parent roles: copied onto the response and
its answers, offered as breakdowns with small numbers hidden, in exports and a person's own data; the
role question by text still fits two texts; contact import reads roles however they are written."""

import pytest

from messaging.choices import ParentRole
from messaging.importing import parent_role, parse_rows
from parentvoice.accounts.roles import CONSULTATION_OFFICERS
from surveys import about_you, exports, results, services, sms
from surveys.models import Answer, Response
from surveys.small_numbers import FEWER_THAN
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def equality_consultation(make_consultation):
    return make_consultation(ask_about_you=True, ask_equality=True)


def _q(page, code):
    return next(q for q in services.schema_for(page) if q.code == code)


def _respond(page, n, *, forum="yes", **about):
    ids = {
        "role": about_you.ROLE_ID,
        "ethnicity": about_you.ETHNICITY_ID,
        "disability": about_you.DISABILITY_ID,
    }
    answers = {_q(page, "forum").id: forum, **{ids[k]: v for k, v in about.items()}}
    return [services.submit_response(page, answers, channel="web") for _ in range(n)]


def test_equality_answers_are_copied_onto_the_response_and_every_answer(equality_consultation):
    [response] = _respond(equality_consultation, 1, role="kinship_carer", ethnicity="mixed", disability="yes")
    assert (response.parent_role, response.ethnicity, response.disability) == (
        "kinship_carer",
        "mixed",
        "yes",
    )
    rows = set(Answer.objects.filter(response=response).values_list("parent_role", "ethnicity", "disability"))
    assert rows == {("kinship_carer", "mixed", "yes")}


@pytest.mark.parametrize(
    "about",
    [
        {"ethnicity": "prefer_not_to_say", "disability": "prefer_not_to_say", "role": "prefer_not_to_say"},
        {},  # skipped, or not asked
        {"ethnicity": "martian", "disability": "maybe", "role": "x" * 40},  # never a valid answer
    ],
)
def test_not_given_is_stored_as_blank(equality_consultation, about):
    [response] = _respond(equality_consultation, 1, **about)
    assert (response.parent_role, response.ethnicity, response.disability) == ("", "", "")
    assert set(Answer.objects.values_list("ethnicity", "disability")) == {("", "")}


def test_every_role_can_be_answered_and_is_stored(equality_consultation):
    for role in ParentRole.values:
        _respond(equality_consultation, 1, role=role)
    assert sorted(Response.objects.values_list("parent_role", flat=True)) == sorted(ParentRole.values)


def test_breakdowns_by_ethnic_group_and_disability_hide_small_numbers(equality_consultation):
    _respond(equality_consultation, 6, ethnicity="white", disability="no")
    _respond(equality_consultation, 7, ethnicity="asian", disability="no")
    _respond(equality_consultation, 2, forum="no", ethnicity="black", disability="yes")
    _respond(equality_consultation, 8, forum="no", ethnicity="white", disability="no")
    assert results.DIMENSIONS["ethnicity"] == "Ethnic group"
    assert results.DIMENSIONS["disability"] == "Disability"
    forum = _q(equality_consultation, "forum")
    table = results.breakdown(equality_consultation, forum, "ethnicity")
    assert table["dimension"] == "Ethnic group"
    groups = table["groups"]
    assert groups == ["Asian or Asian British", "Black, Black British, Caribbean or African", "White"]
    rows = {row["label"]: row["cells"] for row in table["rows"]}
    black = groups.index("Black, Black British, Caribbean or African")
    assert rows["No"][black] == FEWER_THAN
    assert 2 not in [cell for cells in rows.values() for cell in cells]
    disability = results.breakdown(equality_consultation, forum, "disability")
    assert disability["groups"] == ["No", "Yes"]
    assert {row["label"]: row["cells"] for row in disability["rows"]}["No"][1] == FEWER_THAN


def test_officers_can_choose_the_new_breakdowns(client, staff_login, equality_consultation):
    _respond(equality_consultation, 5, ethnicity="white")
    staff_login(CONSULTATION_OFFICERS)
    from django.urls import reverse

    url = reverse("surveys_results", args=[equality_consultation.pk])
    html = client.get(url).content.decode()
    assert "Ethnic group" in html and "Disability" in html
    by_ethnicity = client.get(url + "?by=ethnicity")
    assert by_ethnicity.status_code == 200 and "White" in by_ethnicity.content.decode()


def test_the_export_has_the_equality_columns(equality_consultation):
    _respond(equality_consultation, 1, role="step_parent", ethnicity="asian", disability="no")
    header = exports.header(services.schema_for(equality_consultation))
    row = next(exports.rows(equality_consultation))
    assert [row[header.index(c)] for c in ("parent_role", "ethnicity", "disability", "partner")] == [
        "step_parent",
        "asian",
        "no",
        "",
    ]


def test_a_persons_own_data_lists_their_equality_answers(equality_consultation):
    from parentvoice.privacy.registry import Subject
    from surveys.personal_data import find_responses

    contact = ContactFactory()
    answers = {about_you.ETHNICITY_ID: "black", about_you.DISABILITY_ID: "yes"}
    services.submit_response(equality_consultation, answers, channel="web", contact_id=contact.pk)
    Response.objects.update(contact=contact)  # linked, as a personal link on a linked consultation is
    [found] = find_responses(Subject(email=contact.email))
    assert (found["ethnicity"], found["disability"]) == ("black", "yes")
    assert "partner name" in found


# --- The role question by text ------------------------------------------------------------------

LONG_DISTRICTS = [(f"d{n}", "Tonbridge and Malling") for n in range(12)]


@pytest.mark.parametrize("number,total", [(1, 3), (12, 15), (99, 99)])
def test_the_role_question_fits_two_texts_with_every_role(number, total):
    role = about_you.about_you_questions(LONG_DISTRICTS, equality=True)[0]
    text = sms.prompt(role, number, total)
    assert sms.fits(text), (sms.segments(text), text)
    for index, (_, label) in enumerate(role.choices, start=1):
        assert f"{index}={label}" in text  # every role is listed, none shortened away


def test_a_reply_picks_any_of_the_new_roles():
    role = about_you.about_you_questions([], equality=True)[0]
    keys = [key for key, _ in role.choices]
    for index, key in enumerate(keys, start=1):
        assert sms.parse_reply(role, str(index))[0] == key


# --- Contact import -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written,role",
    [
        ("step-parent", "step_parent"),
        ("Step parent", "step_parent"),
        ("STEP_PARENT", "step_parent"),
        ("stepparent", "step_parent"),
        ("kinship carer", "kinship_carer"),
        ("Kinship  Carer", "kinship_carer"),
        ("Kinship carer (family or friend bringing up a child)", "kinship_carer"),
        ("Adoptive-parent", "adoptive_parent"),
        ("Parent of a young carer", "young_carer_parent"),
        ("young carer parent", "young_carer_parent"),
        ("Mother", "mother"),
        ("foster_carer", "foster_carer"),
        ("", ""),
    ],
)
def test_import_reads_roles_however_they_are_written(written, role):
    assert parent_role(written) == role


@pytest.mark.parametrize("written", ["uncle", "step", "mother; drop table"])
def test_import_refuses_roles_it_does_not_know(written):
    assert parent_role(written) is None
    [(_, row, errors)] = list(parse_rows(f"name,email,mobile,parent_role\nPat,pat@example.org,,{written}\n"))
    assert row is None and "is not a parent role we know" in errors[0]


def test_import_row_keeps_the_role_key():
    [(_, row, errors)] = list(parse_rows("name,email,mobile,parent_role\nPat,pat@example.org,,Step parent\n"))
    assert errors == [] and row["parent_role"] == "step_parent"
