from datetime import UTC, datetime

import pytest

from parentvoice.safeguarding import registry
from parentvoice.safeguarding.choices import FlaggedBy
from parentvoice.safeguarding.registry import SourceDetails, SourceText
from parentvoice.safeguarding.workflow import review_due_at
from tests.factories import CaseFactory

KIND = "test.text"


@pytest.fixture
def source():
    """A throwaway kind of text, "test.text": texts[id] = "..." adds one; removed afterwards."""
    texts: dict[int, str] = {}
    arrived = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)

    def load(source_id):
        if source_id not in texts:
            return None
        return SourceText(text=texts[source_id], arrived_at=arrived, label="Test answer: Support for parents")

    def details(source_id):
        return SourceDetails(
            label="Test answer: Support for parents",
            admin_url=f"/admin/test/{source_id}/",
            contact=[("Mobile", "+447700900123")] if source_id % 2 else [],
        )

    def can_flag(user, source_id):
        return source_id in texts and user.has_perm("safeguarding.add_case")

    registry.register_source(KIND, load=load, details=details, can_flag=can_flag)
    yield texts
    registry._sources.pop(KIND, None)


@pytest.fixture
def make_case(db):
    """A case opened at `opened_at` (due by the working-day rule), without emails."""

    def make(opened_at=None, text="My dad hits me when he is angry", **fields):
        opened_at = opened_at or datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
        values = {
            "source_kind": KIND,
            "text": text,
            "arrived_at": opened_at,
            "flagged_by": FlaggedBy.SCREEN,
            "matched_terms": ["hits me"],
            "opened_at": opened_at,
            "due_at": review_due_at(opened_at),
        }
        return CaseFactory(**{**values, **fields})

    return make
