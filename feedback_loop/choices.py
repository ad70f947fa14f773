from django.core.exceptions import ValidationError
from django.db import models


class DecisionStatus(models.TextChoices):
    UNDER_CONSIDERATION = "under_consideration", "Under consideration"
    AGREED = "agreed", "Agreed"
    PARTLY_AGREED = "partly_agreed", "Partly agreed"
    NOT_AGREED = "not_agreed", "Not agreed"
    DONE = "done", "Done"


# The only moves a published decision's status may make. A new decision may start at any status
# (it may record something already decided, or already done).
TRANSITIONS = {
    DecisionStatus.UNDER_CONSIDERATION: {
        DecisionStatus.AGREED,
        DecisionStatus.PARTLY_AGREED,
        DecisionStatus.NOT_AGREED,
    },
    DecisionStatus.AGREED: {DecisionStatus.DONE},
    DecisionStatus.PARTLY_AGREED: {DecisionStatus.DONE},
    # Reconsidering: a board may revisit something it turned down.
    DecisionStatus.NOT_AGREED: {DecisionStatus.UNDER_CONSIDERATION},
    DecisionStatus.DONE: set(),
}

# Shown on the public log beside the status, in plain words.
STATUS_TAG_COLOURS = {
    DecisionStatus.UNDER_CONSIDERATION: "govuk-tag--yellow",
    DecisionStatus.AGREED: "govuk-tag--blue",
    DecisionStatus.PARTLY_AGREED: "govuk-tag--purple",
    DecisionStatus.NOT_AGREED: "govuk-tag--red",
    DecisionStatus.DONE: "govuk-tag--green",
}
AWAITING = "awaiting"
AWAITING_LABEL = "Waiting for a decision"


def check_transition(old, new):
    """Raise ValidationError unless a decision may move from `old` (None when new) to `new`."""
    if old is None or old == new:
        return
    if new not in TRANSITIONS[DecisionStatus(old)]:
        allowed = sorted(DecisionStatus(s).label.lower() for s in TRANSITIONS[DecisionStatus(old)])
        hint = f" It can only become {' or '.join(allowed)}." if allowed else " It cannot change any more."
        raise ValidationError(
            {
                "status": f"A decision that is {DecisionStatus(old).label.lower()} cannot become "
                f"{DecisionStatus(new).label.lower()}.{hint}"
            }
        )


# --- The action plan ----------------------------------------------------------------------------


class RagStatus(models.TextChoices):
    """Where an action stands, from its latest progress report. Never shown by colour alone: the tag
    always carries these words."""

    RED = "red", "Red: off track"
    AMBER = "amber", "Amber: at risk"
    GREEN = "green", "Green: on track"
    COMPLETE = "complete", "Complete"


NOT_REPORTED = "not_reported"
NOT_REPORTED_LABEL = "No report yet"

# A report may say any of these after any other, except that an action reported complete stays
# complete: to correct a mistaken "complete", an officer deletes that report.
RAG_TRANSITIONS = {
    RagStatus.RED: set(RagStatus),
    RagStatus.AMBER: set(RagStatus),
    RagStatus.GREEN: set(RagStatus),
    RagStatus.COMPLETE: set(),
}
# Red and amber need a reason: it is published beside the status.
RAG_NEEDS_COMMENTARY = {RagStatus.RED, RagStatus.AMBER}

RAG_TAG_COLOURS = {
    RagStatus.RED: "govuk-tag--red",
    RagStatus.AMBER: "govuk-tag--orange",
    RagStatus.GREEN: "govuk-tag--green",
    RagStatus.COMPLETE: "govuk-tag--blue",
    NOT_REPORTED: "govuk-tag--grey",
}


def check_rag_transition(old, new):
    """Raise ValidationError unless an action whose latest report says `old` (None when it has no
    report yet) may be reported as `new`."""
    if old is None:
        return
    if RagStatus(new) not in RAG_TRANSITIONS[RagStatus(old)]:
        raise ValidationError(
            {
                "status": "This action is already complete. To change that, an officer must delete the report "
                "that said it was complete."
            }
        )


class ReportKind(models.TextChoices):
    BOARD = "board", "Board report"
    DISTRICT = "district", "District report"
    THEME = "theme", "Theme report"


class ReportStatus(models.TextChoices):
    """A report's PDF is made in a task: queued -> building -> ready | failed (failed may be queued again)."""

    QUEUED = "queued", "Waiting to be made"
    BUILDING = "building", "Being made"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


REPORT_TRANSITIONS = {
    ReportStatus.QUEUED: {ReportStatus.BUILDING, ReportStatus.FAILED},
    ReportStatus.BUILDING: {ReportStatus.READY, ReportStatus.FAILED},
    ReportStatus.READY: set(),
    ReportStatus.FAILED: {ReportStatus.QUEUED},
}


def check_report_transition(old, new):
    if ReportStatus(new) not in REPORT_TRANSITIONS[ReportStatus(old)]:
        raise ValueError(f"A report cannot go from {old} to {new}.")
