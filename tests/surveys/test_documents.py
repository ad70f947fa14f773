"""A consultation's documents on its intro: GOV.UK style with type and size, in the order the editor
set, none from a private collection, in one query however many there are; in translations and in the
editor's preview too."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags
from wagtail.models import Collection, CollectionViewRestriction

from surveys import reading
from surveys.models import ConsultationDocument, ConsultationPage
from tests.factories import translate_page

pytestmark = pytest.mark.django_db


def _with_documents(consultation, *entries):
    """Publish `consultation` with (document, link title) entries, as the editor's inline panel does."""
    page = ConsultationPage.objects.get(pk=consultation.pk)
    page.documents = [ConsultationDocument(document=document, title=title) for document, title in entries]
    page.save_revision().publish()
    return ConsultationPage.objects.get(pk=page.pk)


def _documents_section(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    content = response.content.decode()
    match = re.search(r'<ul class="govuk-list app-documents">(.*?)</ul>', content, re.S)
    return match.group(1) if match else ""


def _lines(section):
    return [" ".join(strip_tags(item).split()) for item in re.findall(r"<li>(.*?)</li>", section, re.S)]


def _private_collection(name="Private papers", parent=None):
    collection = (parent or Collection.get_first_root_node()).add_child(name=name)
    CollectionViewRestriction.objects.create(collection=collection, restriction_type="login")
    return collection


def test_documents_are_listed_with_their_type_and_size(client, consultation, make_document):
    proposal = make_document(content=b"%PDF-1.4 " + b"x" * 2039)  # 2,048 bytes
    page = _with_documents(consultation, (proposal, ""))

    section = _documents_section(client, page)

    assert _lines(section) == ["Full proposal (PDF, 2.0 KB)"]
    assert "2.0\xa0KB" in section  # the number and its unit kept on one line
    assert f'href="{proposal.url}"' in section
    assert '<abbr title="PDF file">PDF</abbr>' in section


def test_documents_keep_the_editor_s_order_and_link_titles(client, consultation, make_document):
    proposal = make_document(title="proposal-v7-final", content=b"%PDF-1.4 proposal")
    questions = make_document(title="Questions", name="questions.txt", content=b"1. What helps?")
    page = _with_documents(consultation, (questions, ""), (proposal, "Full proposal"))

    lines = _lines(_documents_section(client, page))

    assert lines == ["Questions (TXT, 14 bytes)", "Full proposal (PDF, 17 bytes)"]


def test_a_consultation_without_documents_has_no_documents_heading(client, consultation):
    content = client.get(consultation.url).content.decode()

    assert "app-documents" not in content
    assert ">Documents</h2>" not in content


def test_documents_in_a_private_collection_are_not_listed(client, consultation, make_document):
    public = make_document(title="Full proposal")
    private = make_document(title="Draft budget", collection=_private_collection())
    page = _with_documents(consultation, (private, ""), (public, ""))

    lines = _lines(_documents_section(client, page))

    assert [line.split(" (")[0] for line in lines] == ["Full proposal"]


def test_documents_under_a_private_collection_are_not_listed(client, consultation, make_document):
    inner = _private_collection().add_child(name="Budget working papers")
    private = make_document(title="Draft budget", collection=inner)
    page = _with_documents(consultation, (private, ""))

    assert _documents_section(client, page) == ""


def test_the_intro_lists_any_number_of_documents_in_one_query(client, consultation, make_document):
    page = _with_documents(consultation, (make_document(title="Paper 1"), ""))
    client.get(page.url)  # the site and locale caches filled
    with CaptureQueriesContext(connection) as one:
        client.get(page.url)
    page = _with_documents(page, *[(make_document(title=f"Paper {n}"), "") for n in range(1, 6)])
    with CaptureQueriesContext(connection) as five:
        section = _documents_section(client, page)

    assert len(_lines(section)) == 5
    assert len(five) == len(one)
    assert sum("surveys_consultationdocument" in query["sql"] for query in five.captured_queries) == 1


def test_a_translation_lists_its_own_copy_of_the_documents(client, consultation, make_document):
    page = _with_documents(consultation, (make_document(), "Full proposal"))
    polish = translate_page(page, "pl", title="Wsparcie dla rodziców")
    polish.documents.update(title="Pełna propozycja")

    lines = _lines(_documents_section(client, polish))

    assert [line.split(" (")[0] for line in lines] == ["Pełna propozycja"]
    assert [line.split(" (")[0] for line in _lines(_documents_section(client, page))] == ["Full proposal"]


def test_the_editor_s_preview_lists_documents_not_saved_yet(consultation, make_document):
    page = ConsultationPage.objects.get(pk=consultation.pk).get_latest_revision_as_object()
    hidden = make_document(title="Draft budget", collection=_private_collection())
    page.documents = [
        ConsultationDocument(document=make_document(), title="Full proposal"),
        ConsultationDocument(document=hidden, title=""),
    ]

    content = page.make_preview_request().content.decode()

    assert "Full proposal" in content
    assert "Draft budget" not in content
    assert [item.link_text for item in reading.public_documents(page)] == ["Full proposal"]


# --- The demo's documents ----------------------------------------------------------------------


def test_the_demo_proposal_is_a_well_formed_pdf():
    from surveys.demo_easy_read import proposal_pdf

    pdf = proposal_pdf()
    xref_at = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    entries = pdf[xref_at:].split(b"\n")[3:]  # after "xref", "0 n" and the free entry
    offsets = [int(entry[:10]) for entry in entries if entry.endswith(b" n ")]

    assert pdf.startswith(b"%PDF-1.4") and pdf.endswith(b"%%EOF\n")
    assert pdf[xref_at:].startswith(b"xref\n")
    assert offsets and all(pdf[offset:].startswith(b"%d 0 obj" % n) for n, offset in enumerate(offsets, 1))
    stream_length = int(pdf.split(b"/Length ", 1)[1].split(b" ", 1)[0])
    stream = pdf.split(b"stream\n", 1)[1].split(b"\nendstream", 1)[0]
    assert len(stream) == stream_length
    assert b"(Support for parents and carers in Kent) Tj" in stream
