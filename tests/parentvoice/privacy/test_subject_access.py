import io
import json
import zipfile
from datetime import date

import pytest

from parentvoice.privacy.models import DataRequest
from parentvoice.privacy.registry import personal_data
from parentvoice.privacy.services import subjects
from tests.parentvoice.privacy.person import (  # noqa: F401 - constants and fixtures
    EMAIL,
    MOBILE,
    fora_index,
    make_consultation,
    make_event,
    make_forum,
    person,
)


def test_the_zip_has_a_file_for_every_registered_kind(person):  # noqa: F811
    data, request = subjects.export_zip(subjects.subject_from(EMAIL, MOBILE), None, date(2027, 1, 31))
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    assert "README.txt" in names
    for entry in personal_data():
        filename = entry.name.replace(".", "-")
        if not entry.in_download:  # safeguarding cases: the officer sees them, the person does not
            assert f"{filename}.json" not in names and entry.name not in request.record_counts
            continue
        assert json.loads(archive.read(f"{filename}.json")), entry.name
        assert archive.read(f"{filename}.csv").count(b"\n") >= 2, entry.name
    assert [entry.name for entry in personal_data() if not entry.in_download] == ["safeguarding.cases"]
    assert request.kind == DataRequest.Kind.ACCESS
    assert request.due_on == date(2027, 2, 28)
    assert EMAIL.lower() not in json.dumps(request.record_counts)


def test_subject_from_normalises_and_refuses():
    assert subjects.subject_from(" A@B.org ", "07700 900123").mobile == MOBILE
    assert subjects.subject_from(" A@B.org ", None).email == "a@b.org"
    with pytest.raises(ValueError):
        subjects.subject_from("", "")
    with pytest.raises(ValueError):
        subjects.subject_from(None, "01632 960000")


def test_redact_every_way_of_writing_the_mobile():
    subject = subjects.subject_from("a@b.org", MOBILE)
    for text in ("+447700900123", "07700900123", "07700 900 123", "+44 7700 900123", "A@B.ORG"):
        assert subjects.redact(f"x {text} y", subject) == "x [removed] y"


def test_held_words_are_withheld_from_the_download_and_cases_are_left_out(concern_terms, make_forum):  # noqa: F811
    """Words under safeguarding review are for the lead to disclose or not, and the person is not told
    a case exists (it may be about them, written by someone else)."""
    from forums.models import ForumEnquiry
    from parentvoice.safeguarding import services as safeguarding

    enquiry = ForumEnquiry.objects.create(
        forum=make_forum("Dover Parent Forum"),
        name="Erin",
        reply_to=EMAIL,
        message="My partner hits my children, please help",
    )
    safeguarding.screen("forums.enquiry", enquiry.pk)
    assert safeguarding.is_held("forums.enquiry", enquiry.pk)
    data, _ = subjects.export_zip(subjects.subject_from(EMAIL, None), None, date(2027, 1, 31))
    archive = zipfile.ZipFile(io.BytesIO(data))
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"hits my children" not in everything and b"safeguarding" not in everything.lower()
    assert json.loads(archive.read("forums-enquiries.json"))[0]["message"] == "[withheld]"
    assert ForumEnquiry.objects.count() == 1
