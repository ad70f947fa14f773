from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.models import BaseLogEntry, BaseLogEntryManager

from .choices import CaseActionKind, CaseOutcome, CaseStatus, FlaggedBy, TermCategory, TermMatch


class ConcernTerm(models.Model):
    """A word, stem or phrase that suggests a child may be at risk. Safeguarding leads keep the list."""

    phrase = models.CharField(
        max_length=100,
        unique=True,
        help_text="For example 'hits me' or 'self harm'. Capitals, accents and punctuation are ignored.",
    )
    match = models.CharField(max_length=10, choices=TermMatch.choices, default=TermMatch.PHRASE)
    category = models.CharField(max_length=20, choices=TermCategory.choices, default=TermCategory.OTHER)
    active = models.BooleanField(default=True, help_text="Only active terms are screened for.")
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["category", "phrase"]
        verbose_name = "concern term"

    def __str__(self):
        return self.phrase


class Case(models.Model):
    """A free text that may be a disclosure about a child's safety. While it is not released (closed
    with 'no concern') the text is held: never shown in public results, quotes, briefings or exports.

    The source is named by a registered kind and its id (see registry); the text is copied here when
    the case opens, so the lead reads what arrived even if the source is later removed."""

    source_kind = models.CharField(max_length=40)
    source_id = models.PositiveBigIntegerField()
    source_label = models.CharField(
        max_length=255, help_text="Where it came from, e.g. 'Answer by text: Support for parents'."
    )
    text = models.TextField()
    arrived_at = models.DateTimeField()
    flagged_by = models.CharField(max_length=10, choices=FlaggedBy.choices)
    flagged_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    flag_reason = models.TextField(blank=True, help_text="Why a member of staff flagged it.")
    matched_terms = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.NEW)
    outcome = models.CharField(max_length=20, choices=CaseOutcome.choices, blank=True)
    released = models.BooleanField(
        default=False, help_text="Closed with no concern: the text may be used like any other."
    )
    opened_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(help_text="Reviewed by the end of this working day, or escalated.")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source_kind", "source_id"], name="one_case_per_source_text")
        ]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["source_kind", "released", "source_id"]),
        ]

    def __str__(self):
        return f"Case {self.pk}"


class CaseAction(models.Model):
    """What a lead did about a case, who and when. Append-only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=20, choices=CaseActionKind.choices)
    outcome = models.CharField(max_length=20, choices=CaseOutcome.choices, blank=True)
    note = models.TextField(max_length=2000, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return self.get_kind_display()


class HeldText(models.Model):
    """A record whose text a case holds back. A case holds its own source, and the lasting records
    the same words were copied to (a text message's words saved as an answer): the lead still sees the
    message and the number it came from, and the answer is held too."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="held_texts")
    source_kind = models.CharField(max_length=40)
    source_id = models.PositiveBigIntegerField()

    wagtail_reference_index_ignore = True

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source_kind", "source_id"], name="one_case_holds_a_text")
        ]

    def __str__(self):
        return f"{self.source_kind} {self.source_id}"


class CaseLogEntryManager(BaseLogEntryManager):
    """A case's audit trail (every view, action, closing) is for safeguarding leads only: Wagtail's
    site history would otherwise show it to anyone with any permission on cases, and everyone who
    can flag a text has one."""

    def log_action(self, instance, action, **kwargs):
        kwargs.update(case=instance)
        return super().log_action(instance, action, **kwargs)

    def viewable_by_user(self, user):
        if user.is_active and user.has_perm("safeguarding.view_case"):
            return self.all()
        return self.none()

    def for_instance(self, instance):
        return self.filter(case=instance)


class CaseLogEntry(BaseLogEntry):
    case = models.ForeignKey(Case, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")

    objects = CaseLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = "case log entry"
        verbose_name_plural = "case log entries"

    def __str__(self):
        return f"Case log entry {self.pk}: {self.action}"

    @property
    def object_id(self):
        return self.case_id
