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
