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
