"""Writing questions: codes and choice keys made from the wording when left blank, trimmed and
explained when odd, and "Only ask if" rules checked against the questions before them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from wagtail.test.utils.form_data import rich_text

from surveys import services
from surveys.demo import SUPPORT_QUESTIONS
from surveys.models import ConsultationPage
from surveys.questions import (
    CODE_RE,
    DraftQuestion,
    build_schema,
    code_problem,
    fill_codes,
    is_visible,
    normalise_code,
    show_if_problems,
    slug_code,
    unique_code,
)

valid_codes = st.from_regex(CODE_RE, fullmatch=True)
wording = st.text(max_size=120)


# --- Pure functions ------------------------------------------------------------------------


@given(wording)
def test_a_code_made_from_any_wording_is_valid(text):
    assert CODE_RE.fullmatch(slug_code(text))


def test_codes_read_like_the_wording():
    assert slug_code("Have you been to a parent forum meeting?") == "have-you-been-to-a-parent"
    assert slug_code("Café opening hours") == "cafe-opening-hours"
    assert slug_code("1:1 support") == "1-1-support"
    assert slug_code("👍") == "question"
    assert slug_code("", fallback="choice") == "choice"


@given(valid_codes, st.sets(valid_codes, max_size=20))
def test_a_unique_code_is_valid_and_new(base, taken):
    code = unique_code(base, taken)
    assert CODE_RE.fullmatch(code) and code not in taken


@given(
    st.lists(
        st.tuples(st.one_of(st.just(""), valid_codes), wording),
        max_size=15,
        unique_by=lambda i: i[0] or object(),
    )
)
def test_filling_codes_keeps_given_ones_makes_valid_unique_ones_and_is_idempotent(items):
    codes = fill_codes(items)
    assert len(set(codes)) == len(codes)
    assert all(CODE_RE.fullmatch(code) for code in codes)
    assert all(code == given for code, (given, _) in zip(codes, items, strict=True) if given)
    labels = [label for _, label in items]
    assert fill_codes(list(zip(codes, labels, strict=True))) == codes


def test_a_new_question_never_takes_a_code_a_later_question_already_has():
    assert fill_codes([("", "Ease"), ("ease", "How easy is it?")]) == ["ease-2", "ease"]


@given(valid_codes, st.sampled_from([" ", "  ", "\t", "\n", "\u00a0", "\u200b", "\ufeff"]))
def test_spaces_and_invisible_characters_round_a_code_are_trimmed(code, edge):
    assert normalise_code(f"{edge}{code}{edge}") == code
    assert normalise_code(code.upper()) == code
    assert normalise_code(f"\u200b {edge}{code} \u200b{edge}") == code


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("week ends", "Use hyphens instead of spaces, like 'week-ends'."),
        ("café", "'é' cannot be used"),
        ("café", "like 'cafe'"),
        ("a\x07b", "invisible or control character"),
        ("week\u200bends", "invisible or control character"),
        ("-weekends", "Start with a letter or a number"),
        ("weekends?", "'?' cannot be used"),
        ("a" * 41, "40 characters or fewer"),
    ],
)
def test_odd_codes_are_explained(raw, message):
    assert message in code_problem(normalise_code(raw))


@given(st.text(max_size=60))
def test_anything_typed_is_either_a_valid_code_or_explained(raw):
    code = normalise_code(raw)
    assert normalise_code(code) == code
    problem = code_problem(code) if code else None
    assert (problem is None) == (not code or bool(CODE_RE.fullmatch(code)))
    if problem:
        assert problem.endswith(".")


@given(valid_codes)
def test_valid_codes_have_no_problem(code):
    assert code_problem(code) is None


# "Only ask if": a random questionnaire of choice (keys a/b/c) and free text questions, each rule
# pointing anywhere (earlier, later, itself, nowhere) at any answer.
draft_lists = st.lists(
    st.tuples(
        st.booleans(),
        st.one_of(st.none(), st.tuples(st.integers(-1, 8), st.sampled_from(["", "a", "b", "c", "zz"]))),
    ),
    min_size=1,
    max_size=8,
)


def _drafts(spec):
    drafts = []
    for index, (is_choice, rule) in enumerate(spec):
        show_if = None
        if rule is not None:
            target, answer = rule
            show_if = (f"q{target}" if target >= 0 else "", answer)
        drafts.append(
            DraftQuestion(
                code=f"q{index}",
                label=f"Question {index}",
                answers=("a", "b", "c") if is_choice else None,
                show_if=show_if,
            )
        )
    return drafts


@given(draft_lists)
def test_a_rule_is_accepted_exactly_when_it_names_an_earlier_choice_question_and_one_of_its_answers(spec):
    drafts = _drafts(spec)
    problems = show_if_problems(drafts)
    for index, draft in enumerate(drafts):
        if draft.show_if is None:
            assert index not in problems
            continue
        target, answer = draft.show_if
        position = int(target[1:]) if target else None
        fine = (
            position is not None
            and position < index
            and drafts[position].answers is not None
            and answer in drafts[position].answers
        )
        assert (index not in problems) == fine, (draft, problems.get(index))


@given(draft_lists, st.dictionaries(st.integers(0, 7), st.sampled_from(["a", "b", "c"])))
def test_accepted_rules_resolve_to_asking_only_after_the_chosen_answer(spec, picked):
    drafts = _drafts(spec)
    problems = show_if_problems(drafts)
    schema = build_schema(
        [
            _Child(
                "single_choice" if draft.answers else "free_text",
                {
                    "code": draft.code,
                    "label": draft.label,
                    "required": True,
                    "show_if": {"question": draft.show_if[0], "answer": draft.show_if[1]}
                    if draft.show_if and index not in problems
                    else {},
                    "choices": [{"key": key, "label": key} for key in draft.answers or ()],
                },
                draft.code,
            )
            for index, draft in enumerate(drafts)
        ]
    )
    answers = {f"q{i}": key for i, key in picked.items() if i < len(drafts) and drafts[i].answers}
    for question in schema:
        if question.show_if is None:
            assert is_visible(question, schema, answers)
            continue
        source = next(q for q in schema if q.code == question.show_if[0])
        expected = is_visible(source, schema, answers) and answers.get(source.id) == question.show_if[1]
        assert is_visible(question, schema, answers) == expected


class _Child:
    def __init__(self, block_type, value, block_id):
        self.block_type, self.value, self.id = block_type, value, block_id


# --- Blocks --------------------------------------------------------------------------------


def _stream_block():
    return ConsultationPage._meta.get_field("questions").stream_block


def _clean(raw):
    block = _stream_block()
    return block.get_prep_value(block.clean(block.to_python(raw)))


def _question(label, code="", keys=None, labels=("Yes", "No"), show_if=None, kind="single_choice"):
    value = {"label": label, "hint": "", "required": True, "code": code, "show_if": show_if or {}}
    if kind in {"single_choice", "multiple_choice"}:
        keys = keys or [""] * len(labels)
        value["choices"] = [{"label": text, "key": key} for text, key in zip(labels, keys, strict=True)]
    return {"type": kind, "value": value}


def _errors(raw):
    with pytest.raises(ValidationError) as error:
        _clean(raw)
    return error.value.as_json_data()


def test_blank_codes_and_keys_are_made_from_the_wording_and_given_ones_kept():
    cleaned = _clean(
        [
            _question("Have you been to a meeting?"),
            _question(
                "Have you been to a meeting?", labels=("Yes", "Yes, online", "No"), keys=["", "", "never"]
            ),
            _question("How easy was it?", code="ease", kind="scale"),
        ]
    )
    assert [block["value"]["code"] for block in cleaned] == [
        "have-you-been-to-a-meeting",
        "have-you-been-to-a-meeting-2",
        "ease",
    ]
    assert [c["value"]["key"] for c in cleaned[1]["value"]["choices"]] == ["yes", "yes-online", "never"]


def test_the_about_you_codes_are_left_for_the_about_you_questions():
    cleaned = _clean([_question("About role", kind="free_text")])
    assert cleaned[0]["value"]["code"] == "about-role-2"
    errors = _errors([_question("Q", code="about-district", kind="free_text")])
    assert (
        "belongs to the 'About you' questions"
        in errors["blockErrors"][0]["blockErrors"]["code"]["messages"][0]
    )


def test_the_downloads_own_column_names_are_not_question_codes():
    """A question coded "partner" or "ethnicity" would make a second column of that name in the
    responses download."""
    cleaned = _clean([_question("Partner", kind="free_text")])
    assert cleaned[0]["value"]["code"] == "partner-2"
    for code in ("partner", "ethnicity", "district"):
        errors = _errors([_question("Q", code=code, kind="free_text")])
        assert (
            "already a column of the responses download"
            in errors["blockErrors"][0]["blockErrors"]["code"]["messages"][0]
        )


def test_a_multiple_choice_option_called_other_does_not_take_the_other_boxs_key():
    cleaned = _clean([_question("What helps?", labels=("Money", "Other"), kind="multiple_choice")])
    assert [c["value"]["key"] for c in cleaned[0]["value"]["choices"]] == ["money", "other-2"]
    errors = _errors(
        [_question("What helps?", keys=["money", "other"], labels=("Money", "Other"), kind="multiple_choice")]
    )
    assert "kept for 'Other, please say'" in errors["blockErrors"][0]["blockErrors"]["choices"]["messages"][0]
    # A single choice question has no 'Other' box, so the key is free there.
    cleaned = _clean([_question("Which?", labels=("Money", "Other"))])
    assert [c["value"]["key"] for c in cleaned[0]["value"]["choices"]] == ["money", "other"]


def test_a_key_with_a_trailing_space_is_trimmed():
    cleaned = _clean([_question("Q", code="forum ", keys=["yes ", " no"])])
    assert cleaned[0]["value"]["code"] == "forum"
    assert [c["value"]["key"] for c in cleaned[0]["value"]["choices"]] == ["yes", "no"]


def test_odd_and_duplicate_keys_get_errors_on_the_block():
    errors = _errors([_question("Q", keys=["week ends", "café"])])
    choices = errors["blockErrors"][0]["blockErrors"]["choices"]["blockErrors"]
    assert "Use hyphens instead of spaces" in choices[0]["blockErrors"]["key"]["messages"][0]
    assert "'é' cannot be used" in choices[1]["blockErrors"]["key"]["messages"][0]

    errors = _errors([_question("Q", keys=["same", "same"])])
    assert "same is used more than once" in errors["blockErrors"][0]["blockErrors"]["choices"]["messages"][0]

    errors = _errors([_question("One", code="same"), _question("Two", code="same")])
    assert errors["blockErrors"][1]["blockErrors"]["code"]["messages"] == [
        "Another question already uses the code 'same'."
    ]


@pytest.mark.parametrize(
    ("show_if", "field", "message"),
    [
        ({"question": "later", "answer": "yes"}, "question", "comes after it"),
        (
            {"question": "nowhere", "answer": "yes"},
            "question",
            "There is no question with the code 'nowhere'",
        ),
        (
            {"question": "words", "answer": "yes"},
            "question",
            "'Tell us more' is not a choice or scale question",
        ),
        ({"question": "first", "answer": "maybe"}, "answer", "'First' has no answer with the key 'maybe'"),
        ({"question": "first", "answer": ""}, "answer", "Choose the answer to 'First'"),
        ({"question": "", "answer": "yes"}, "question", "Choose the earlier question"),
    ],
)
def test_only_ask_if_must_name_an_earlier_choice_question_and_one_of_its_answers(show_if, field, message):
    errors = _errors(
        [
            _question("First", code="first"),
            _question("Tell us more", code="words", kind="free_text"),
            _question("Follow-up", code="follow-up", show_if=show_if),
            _question("Later", code="later"),
        ]
    )
    rule = errors["blockErrors"][2]["blockErrors"]["show_if"]["blockErrors"]
    assert message in rule[field]["messages"][0]


def test_only_ask_if_can_name_a_question_whose_code_is_being_made_in_the_same_save():
    cleaned = _clean(
        [
            _question("Been before?"),
            _question("Why not?", show_if={"question": "been-before", "answer": "no"}),
        ]
    )
    assert cleaned[1]["value"]["show_if"] == {"question": "been-before", "answer": "no"}


def test_the_demo_questions_are_unchanged_by_cleaning():
    block = _stream_block()

    def shape(stream):
        return [(q.code, q.choices, q.show_if) for q in build_schema(stream)]

    assert shape(block.clean(block.to_python(SUPPORT_QUESTIONS))) == shape(block.to_python(SUPPORT_QUESTIONS))


# --- The page editor, as a form post (no JavaScript) ------------------------------------------


def _post_data(title, questions):
    now = timezone.localtime()
    data = {
        "title": title,
        "slug": title.lower(),
        "summary": "Tell us.",
        "why_asking": rich_text("<p>Why.</p>"),
        "what_happens_next": rich_text("<p>Next.</p>"),
        "who_for": "Parents",
        "opens_at": (now - timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        "closes_at": (now + timedelta(days=10)).strftime("%Y-%m-%d %H:%M"),
        "anonymity": "linked",
        "sms_keyword": "",
        "results_summary": rich_text(""),
        "questions-count": str(len(questions)),
        # The Documents panel's empty inline formset.
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "1000",
        "action-publish": "action-publish",
    }
    for i, question in enumerate(questions):
        prefix = f"questions-{i}"
        data.update({f"{prefix}-type": question["type"], f"{prefix}-deleted": "", f"{prefix}-order": str(i)})
        value = question["value"]
        for name in ("label", "hint", "code"):
            data[f"{prefix}-value-{name}"] = value[name]
        data[f"{prefix}-value-required"] = "on"
        data[f"{prefix}-value-show_if-question"] = value["show_if"].get("question", "")
        data[f"{prefix}-value-show_if-answer"] = value["show_if"].get("answer", "")
        choices = value.get("choices", [])
        data[f"{prefix}-value-choices-count"] = str(len(choices))
        for j, choice in enumerate(choices):
            choice_prefix = f"{prefix}-value-choices-{j}"
            data.update(
                {
                    f"{choice_prefix}-deleted": "",
                    f"{choice_prefix}-order": str(j),
                    f"{choice_prefix}-value-label": choice["label"],
                    f"{choice_prefix}-value-key": choice["key"],
                }
            )
    return data


@pytest.fixture
def index(make_consultation):
    make_consultation()
    return ConsultationPage.objects.get().get_parent()


@pytest.mark.django_db
def test_an_officer_without_javascript_gets_codes_made_for_them(client, staff_login, index):
    staff_login(is_superuser=True, is_staff=True)
    questions = [
        _question("Have you been to a meeting?", keys=["yes ", ""]),
        _question(
            "What stopped you?",
            labels=("The time", "Travel"),
            show_if={"question": "have-you-been-to-a-meeting", "answer": "no"},
        ),
    ]
    response = client.post(
        f"/admin/pages/add/surveys/consultationpage/{index.pk}/", _post_data("Meetings", questions)
    )
    assert response.status_code == 302, response.context["form"].errors.as_json()
    page = ConsultationPage.objects.get(title="Meetings")
    schema = services.schema_for(page)
    assert [(q.code, tuple(k for k, _ in q.choices), q.show_if) for q in schema] == [
        ("have-you-been-to-a-meeting", ("yes", "no"), None),
        ("what-stopped-you", ("the-time", "travel"), ("have-you-been-to-a-meeting", "no")),
    ]


@pytest.mark.django_db
def test_the_editor_explains_a_rule_pointing_at_a_later_question(client, staff_login, index):
    staff_login(is_superuser=True, is_staff=True)
    questions = [
        _question("First", show_if={"question": "second", "answer": "yes"}),
        _question("Second"),
    ]
    response = client.post(
        f"/admin/pages/add/surveys/consultationpage/{index.pk}/", _post_data("Bad", questions)
    )
    assert response.status_code == 200
    assert "can only depend on a question that comes before this one" in response.content.decode()
    assert not ConsultationPage.objects.filter(title="Bad").exists()


@pytest.mark.django_db
def test_the_editor_loads_the_question_lists_script(client, staff_login, index):
    staff_login(is_superuser=True, is_staff=True)
    html = client.get(f"/admin/pages/add/surveys/consultationpage/{index.pk}/").content.decode()
    assert "surveys/admin/question-authoring" in html


@pytest.mark.django_db
def test_made_codes_stay_put_when_wording_changes_and_the_lock_still_holds(make_consultation):
    page = make_consultation(
        slug="made",
        questions=_clean(
            [
                _question("Been before?"),
                _question("Why not?", show_if={"question": "been-before", "answer": "no"}),
            ]
        ),
    )
    services.submit_response(page, {}, channel="web")
    raw = [dict(block) for block in page.questions.raw_data]
    raw[0]["value"] = {**raw[0]["value"], "label": "Have you ever been before?"}
    page.questions = _stream_block().clean(_stream_block().to_python(raw))
    page.full_clean()  # wording only
    assert [q.code for q in services.schema_for(page)] == ["been-before", "why-not"]

    raw[0]["value"] = {
        **raw[0]["value"],
        "choices": [
            {**raw[0]["value"]["choices"][0], "value": {"label": "Yes", "key": "yes-please"}},
            raw[0]["value"]["choices"][1],
        ],
    }
    page.questions = _stream_block().to_python(raw)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "questions are locked" in str(error.value)


def test_only_ask_if_can_depend_on_a_scale_answer():
    cleaned = _clean(
        [
            _question("How easy?", code="ease", kind="scale"),
            _question("Why?", show_if={"question": "ease", "answer": "1"}),
        ]
    )
    assert cleaned[1]["value"]["show_if"] == {"question": "ease", "answer": "1"}
    assert "'How easy?' has no answer with the key '6'" in str(
        _errors(
            [
                _question("How easy?", code="ease", kind="scale"),
                _question("Why?", show_if={"question": "ease", "answer": "6"}),
            ]
        )
    )
