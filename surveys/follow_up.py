"""Telling the people who took part in a consultation what was decided."""

from __future__ import annotations


def consultation_topic(page_id: int) -> str:
    return f"consultation:{page_id}"
