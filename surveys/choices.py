from django.db import models


class ResponseChannel(models.TextChoices):
    WEB = "web", "Web"
    SMS = "sms", "Text message"
    PAPER = "paper", "Paper"


class ResponseStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


class Anonymity(models.TextChoices):
    ANONYMOUS = "anonymous", "Anonymous: never record who answered"
    LINKED = "linked", "Linked: record which invited contact answered (so we can tell them the outcome)"


class QuestionType(models.TextChoices):
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    SCALE = "scale", "Scale 1 to 5"
    FREE_TEXT = "free_text", "Free text"
    NUMBER = "number", "Number"


class ConversationStatus(models.TextChoices):
    """An SMS conversation. Moves only as `sms_dialogue.TRANSITIONS` allows."""

    ACTIVE = "active", "Answering"
    PAUSED = "paused", "Paused (the parent started another consultation)"
    COMPLETE = "complete", "Complete"
    EXPIRED = "expired", "Expired (the consultation closed first)"


class TurnOutcome(models.TextChoices):
    STARTED = "started", "Started"
    RESUMED = "resumed", "Resumed"
    ANSWERED = "answered", "Answered"
    JOINED = "joined", "Added to the last answer"
    SKIPPED = "skipped", "Skipped"
    INVALID = "invalid", "Not understood"
    BACK = "back", "Went back"
    RESTARTED = "restarted", "Started again"
    RESTART_ASKED = "restart_asked", "Asked to confirm starting again"
    HELP = "help", "Asked for help"
    COMPLETED = "completed", "Completed"
    ALREADY_ANSWERED = "already_answered", "Had already answered"
    EXPIRED = "expired", "Told it had closed"


class PartnerKind(models.TextChoices):
    CHILDRENS_CENTRE = "childrens_centre", "Children's centre"
    SCHOOL = "school", "School"
    HEALTH_VISITING = "health_visiting", "Health visiting team"
    VOLUNTARY = "voluntary", "Voluntary or community group"
    OTHER = "other", "Other"


class ReachDimension(models.TextChoices):
    """What reach is broken down by, and what officers enter benchmarks for."""

    PARENT_ROLE = "parent_role", "Parent role"
    CHILD_AGE = "child_age", "Children's ages"
    ETHNICITY = "ethnicity", "Ethnic group"
    DISABILITY = "disability", "Disability"


class Ethnicity(models.TextChoices):
    """The 'About you' ethnic groups (the census's five high-level groups)."""

    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Another ethnic group"


class Disability(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
