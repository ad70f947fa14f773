"""Attack review of consultations in other languages (#18) in the lists built from consultations: a
translation is the same consultation (its answers are its English page's), so open data, the
officers' reminders and reports, and the reach filter list each consultation once, as its English page."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from feedback_loop.models import Report
from feedback_loop.reach_views import ReachFilterForm
from feedback_loop.services import dashboard, open_data, reports
from parentvoice.models import District
from tests.factories import translate_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def polish(closed_consultation):
    return translate_page(closed_consultation, "pl", title="Wsparcie dla rodziców")


def test_open_data_lists_a_translated_consultations_results_once(client, closed_consultation, polish):
    assert [page.pk for page in open_data.results_for_open_data()] == [closed_consultation.pk]
    records = client.get("/api/v1/results/").json()["results"]
    assert [record["id"] for record in records] == [closed_consultation.pk]
    csv = b"".join(client.get("/open-data/results.csv").streaming_content).decode()
    assert "Wsparcie" not in csv


def test_officers_are_reminded_about_a_translated_consultation_once(settings, make_consultation):
    now = timezone.now()
    page = make_consultation(opens_at=now - timedelta(weeks=30), closes_at=now - timedelta(weeks=20))
    translate_page(page, "pl", title="Wsparcie dla rodziców")
    assert [p.pk for p in dashboard.results_overdue()] == [page.pk]
    assert [p.pk for p in dashboard.consultations_without_items(now + timedelta(weeks=52))] == [page.pk]


def test_who_was_told_counts_a_translated_consultation_once(closed_consultation, polish):
    assert [row.title for row in dashboard.share_told()] == [closed_consultation.title]


def test_a_district_report_lists_a_translated_consultation_once(closed_consultation, polish):
    district = District.objects.create(name="Dover", slug="dover", ons_code="E07000108")
    report = Report(
        kind="district",
        district=district,
        period_start=timezone.localdate() - timedelta(days=60),
        period_end=timezone.localdate(),
    )
    context = reports.district_report_context(report)
    assert [row["page"].pk for row in context["consultations"]] == [closed_consultation.pk]


def test_the_reach_filter_offers_a_translated_consultation_once(closed_consultation, polish):
    offered = list(ReachFilterForm().fields["consultation"].queryset)
    assert offered == [closed_consultation]


def test_a_you_said_item_made_on_a_translation_rests_on_the_english_pages_answers(
    closed_consultation, polish, make_item, answer
):
    from feedback_loop.models import FeedbackClosure

    from .conftest import evidence

    for _ in range(5):
        answer(polish, first_place="school")
    item = make_item(consultation=polish, evidence=evidence(polish, "first-place", "school"))
    assert item.consultation_id == closed_consultation.pk
    assert item.response_count == 5

    FeedbackClosure.objects.create(consultation=closed_consultation)
    with pytest.raises(ValidationError, match="closed with feedback"):
        make_item(consultation=polish, evidence=evidence(polish, "first-place", "school"))
