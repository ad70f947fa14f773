from django.db import models


class TermMatch(models.TextChoices):
    PHRASE = "phrase", "The whole word or phrase"
    STEM = "stem", "Any word that starts with it"


class TermCategory(models.TextChoices):
    HARM = "harm", "Harm or violence"
    ABUSE = "abuse", "Abuse"
    SELF_HARM = "self_harm", "Self-harm or suicide"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    NEGLECT = "neglect", "Neglect"
    OTHER = "other", "Other"


class CaseStatus(models.TextChoices):
    NEW = "new", "New"
    REVIEWING = "reviewing", "Being reviewed"
    CLOSED = "closed", "Closed"


class CaseActionKind(models.TextChoices):
    """What a lead did. Each moves a new case to 'being reviewed'; CLOSED needs an outcome."""

    REVIEWED_NO_CONCERN = "no_concern", "Reviewed: no concern"
    REFERRED = "referred", "Referred to the front door (MASH)"
    CONTACTED_PARENT = "contacted_parent", "Contacted the parent"
    ESCALATED = "escalated", "Escalated"
    NOTE = "note", "Note"
    CLOSED = "closed", "Closed"
    REOPENED = "reopened", "Reopened"


class CaseOutcome(models.TextChoices):
    NO_CONCERN = "no_concern", "No safeguarding concern"
    REFERRED = "referred", "Referred to the front door (MASH)"
    SUPPORT_OFFERED = "support_offered", "Parent contacted and support offered"
    ESCALATED = "escalated", "Escalated to another service"


class FlaggedBy(models.TextChoices):
    SCREEN = "screen", "The term list"
    HAND = "hand", "A member of staff"
