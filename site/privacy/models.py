from django.conf import settings
from django.db import models
from django.utils import timezone


class DataRequest(models.Model):
    """A subject access or erasure handled by an officer: who, when and how many records of each kind.
    It holds no personal data (not the address searched for), so it can be kept as the audit trail."""

    class Kind(models.TextChoices):
        ACCESS = "access", "Subject access (download)"
        ERASURE = "erasure", "Erasure"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    reference = models.CharField(max_length=12, unique=True, help_text="Quote this to the person.")
    received_on = models.DateField(help_text="When the person asked: the one-month duty runs from here.")
    due_on = models.DateField()
    completed_at = models.DateTimeField(default=timezone.now)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    record_counts = models.JSONField(default=dict, help_text="Kind of record -> how many.")

    class Meta:
        ordering = ["-completed_at", "-id"]
        permissions = [
            ("handle_data_requests", "Can find, download and erase everything held about a person"),
            ("view_contact_details", "Can see parents' full email addresses and mobile numbers in lists"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference}"


class RetentionRun(models.Model):
    """One run of the retention rules: counts only."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField(default=False)
    counts = models.JSONField(default=dict, help_text="Rule -> records deleted or anonymised.")

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"Retention run {self.started_at:%Y-%m-%d}"
