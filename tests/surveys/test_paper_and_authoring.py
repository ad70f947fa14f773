import pytest
from django.core.exceptions import ValidationError

from parentvoice.accounts import roles
from surveys import services
from surveys.models import Answer, ConsultationPage, Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(staff_login):
    return staff_login(roles.CONSULTATION_OFFICERS)


def _ids(page):
    return {q.code: q.id for q in services.schema_for(page)}


def test_officer_enters_a_paper_response(client, officer, consultation):
    ids = _ids(consultation)
    data = {
        ids["first-place"]: "school",
        ids["ease"]: "3",
        ids["would-help"]: ["money"],
        ids["forum"]: "yes",
        ids["forum-barrier"]: "ignored: the paper form says skip this",
        ids["how-asked"]: "phone",
    }
    response = client.post(f"/admin/consultations/{consultation.pk}/paper/", data)
    assert response.status_code == 302
    saved = Response.objects.get()
    assert saved.channel == "paper" and saved.entered_by == officer
    assert not Answer.objects.filter(question_id=ids["forum-barrier"]).exists()


def test_paper_entry_errors_keep_what_was_typed_and_save_nothing(client, officer, consultation):
    ids = _ids(consultation)
    response = client.post(
        f"/admin/consultations/{consultation.pk}/paper/",
        {ids["children"]: "lots", ids["first-place"]: "school"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a whole number, like 3" in html and "Select an answer" in html
    assert 'value="lots"' in html
    assert Response.objects.count() == 0


def _stream(page, raw):
    return page.questions.stream_block.to_python(raw)


def _clean(page, raw):
    return page.questions.stream_block.clean(_stream(page, raw))


def _single(code, keys=("a", "b"), show_if=None):
    return {
        "type": "single_choice",
        "value": {
            "label": "Q",
            "hint": "",
            "required": True,
            "code": code,
            "show_if": show_if or {},
            "choices": [{"label": k, "key": k} for k in keys],
        },
    }


def test_question_codes_choice_keys_and_show_if_are_checked(consultation):
    with pytest.raises(ValidationError):
        _clean(consultation, [_single("same"), _single("same")])
    with pytest.raises(ValidationError):
        _clean(consultation, [_single("one", keys=("a", "a"))])
    with pytest.raises(ValidationError):
        _clean(consultation, [_single("one", show_if={"question": "two", "answer": "a"}), _single("two")])
    with pytest.raises(ValidationError):
        _clean(consultation, [_single("one"), _single("two", show_if={"question": "one", "answer": "zzz"})])
    _clean(consultation, [_single("one"), _single("two", show_if={"question": "one", "answer": "b"})])


@pytest.mark.parametrize(
    ("keyword", "message"),
    [("STOP", "used for other things"), ("two words", "one word"), ("X", "one word")],
)
def test_sms_keyword_rules(consultation, keyword, message):
    consultation.sms_keyword = keyword
    with pytest.raises(ValidationError) as error:
        consultation.full_clean()
    assert message in str(error.value)


def test_sms_keywords_are_unique(consultation):
    consultation.sms_keyword = "CHILDCARE"
    consultation.save()
    other = ConsultationPage(
        title="Other",
        slug="other",
        summary="s",
        why_asking="w",
        what_happens_next="n",
        opens_at=consultation.opens_at,
        closes_at=consultation.closes_at,
        questions=[],
        sms_keyword="childcare",
    )
    consultation.get_parent().add_child(
        instance=ConsultationPage(
            title="Placeholder",
            slug="placeholder",
            summary="s",
            why_asking="w",
            what_happens_next="n",
            opens_at=consultation.opens_at,
            closes_at=consultation.closes_at,
            questions=[],
        )
    )
    other.path, other.depth = "zz", 4  # not saved; only validated
    assert "already uses CHILDCARE" in services.sms_keyword_problem(other)


def test_closing_must_follow_opening(consultation):
    consultation.closes_at = consultation.opens_at
    with pytest.raises(ValidationError) as error:
        consultation.full_clean()
    assert "closing date must be after" in str(error.value)


def test_questions_lock_once_anyone_has_answered_but_wording_can_change(consultation):
    services.submit_response(consultation, {}, channel="web")
    raw = list(consultation.questions.raw_data)
    raw[1]["value"]["label"] = "Where do you look first for help?"
    consultation.questions = _stream(consultation, raw)
    consultation.full_clean()  # wording only: allowed

    changed = [dict(block) for block in raw]
    changed[1] = {
        **changed[1],
        "value": {**changed[1]["value"], "choices": changed[1]["value"]["choices"][:-1]},
    }
    consultation.questions = _stream(consultation, changed)
    with pytest.raises(ValidationError) as error:
        consultation.full_clean()
    assert "questions are locked" in str(error.value)

    consultation.questions = _stream(consultation, raw[:-1])
    with pytest.raises(ValidationError):
        consultation.full_clean()

    recoded = [dict(block) for block in raw]
    recoded[1] = {**recoded[1], "value": {**recoded[1]["value"], "code": "renamed-column"}}
    consultation.questions = _stream(consultation, recoded)
    with pytest.raises(ValidationError) as error:
        consultation.full_clean()
    assert "their codes" in str(error.value)  # codes are the export's columns and rules' names


def test_officer_can_open_the_editor_add_form_and_preview(client, officer, consultation):
    assert client.get(f"/admin/pages/{consultation.pk}/edit/").status_code == 200
    parent = consultation.get_parent()
    assert client.get(f"/admin/pages/add/surveys/consultationpage/{parent.pk}/").status_code == 200
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = officer
    from django.contrib.sessions.middleware import SessionMiddleware

    SessionMiddleware(lambda r: None).process_request(request)
    assert consultation.serve_preview(request, consultation.default_preview_mode).status_code == 200
