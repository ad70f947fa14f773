"""Input hygiene on the consultation routes: answers on the web and by text, invitation links and
exports never 500 on hidden characters or unusual digits (issue 12)."""

import io

import pytest
from openpyxl import load_workbook

from parentvoice.accounts import roles
from parentvoice.text import NUL_MESSAGE
from surveys import services
from surveys.models import Answer, Response

from .texting import text

pytestmark = pytest.mark.django_db


def _question(page, code):
    return next(q for q in services.schema_for(page) if q.code == code)


def _post_answer(client, page, code, data):
    client.get(f"/consultations/{page.pk}/start/")
    return client.post(f"/consultations/{page.pk}/question/{_question(page, code).id}/", data)


@pytest.mark.parametrize("typed", ["²", "1²", "١", "٣"])
def test_unusual_digits_in_a_number_answer_get_a_clear_error_not_a_500(client, consultation, typed):
    response = _post_answer(client, consultation, "children", {"answer": typed})
    assert response.status_code == 400
    assert "Enter a whole number, like 3" in response.content.decode()


def test_a_nul_in_a_web_answer_is_refused_with_a_clear_error(client, consultation):
    # Reach the free-text question: it shows after "No" to the forum question.
    _post_answer(client, consultation, "forum", {"answer": "no"})
    response = _post_answer(client, consultation, "forum-barrier", {"answer": "Too\x00 far"})
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    response = _post_answer(client, consultation, "would-help", {"answer": ["other"], "other": "Bus\x00"})
    assert response.status_code == 400 and NUL_MESSAGE in response.content.decode()


def test_control_characters_in_a_web_answer_are_dropped_and_line_breaks_kept(client, consultation):
    _post_answer(client, consultation, "forum", {"answer": "no"})
    response = _post_answer(
        client, consultation, "forum-barrier", {"answer": "Too far\x1b[2J\r\nNo bus\u202e\x07"}
    )
    assert response.status_code == 302
    state = client.session[f"consultation-{consultation.pk}"]
    assert state["answers"][_question(consultation, "forum-barrier").id] == "Too far[2J\nNo bus"


def test_an_invitation_link_with_unusual_digits_is_not_found_rather_than_a_500(client, consultation):
    for token in ("²-abc", "١-abc"):
        response = client.get(f"/consultations/{consultation.pk}/invitation/{token}/")
        assert response.status_code == 404


def test_unusual_digits_by_text_get_a_re_prompt_not_a_500(client, settings, keyword_consultation):
    assert "Q1/7" in text(client, settings, "SUPPORT")
    reply = text(client, settings, "²")  # a single-choice question answered by number
    assert reply.startswith("Sorry, ² is not one of the choices") and "Reply 1, 2, 3, 4 or 5" in reply
    assert text(client, settings, "1").startswith("Q2/7")


def test_an_answer_with_control_characters_exports_to_excel(client, staff_login, consultation):
    # An answer stored before input was cleaned (or typed on paper by an officer years ago).
    barrier = _question(consultation, "forum-barrier")
    services.submit_response(
        consultation,
        {_question(consultation, "forum").id: "no", barrier.id: "Too far\x0b away\x1b and\x7f dark"},
        channel="web",
    )
    assert Answer.objects.filter(question_id=barrier.id).exists() and Response.objects.count() == 1
    staff_login(roles.CONSULTATION_OFFICERS)
    response = client.get(f"/admin/consultations/{consultation.pk}/export.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    header, row = workbook["Responses"].iter_rows(values_only=True)
    assert row[header.index("forum-barrier")] == "Too far away and dark"


def test_a_paper_response_with_unusual_digits_or_a_nul_gets_clear_errors(client, staff_login, consultation):
    staff_login(roles.CONSULTATION_OFFICERS)
    response = client.post(
        f"/admin/consultations/{consultation.pk}/paper/",
        {_question(consultation, "children").id: "²", _question(consultation, "forum-barrier").id: "a\x00"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a whole number, like 3" in html and NUL_MESSAGE in html
    assert Response.objects.count() == 0
