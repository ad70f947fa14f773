"""'You said, we did': what parents said (FeedbackItem), what was decided (Decision), the public log
page, and the records that close the loop (OutcomeNotice, FeedbackClosure).

Items and decisions are Wagtail snippets with drafts and revisions, so every change is in Wagtail's
audit log and only published versions reach the public log."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import DraftStateMixin, Orderable, Page, RevisionMixin
from wagtail.search import index

from parentvoice.dates import govuk_date

from .choices import (
    RAG_TAG_COLOURS,
    STATUS_TAG_COLOURS,
    DecisionStatus,
    RagStatus,
    ReportKind,
    ReportStatus,
)

# The source of a 'You said' item made from 'Tell us' entries, as the public log says it.
PARENTS_TOLD_US = "Parents told us"


class Theme(models.Model):
    """What feedback is about, e.g. childcare or SEND, for filtering the public log."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class FeedbackItem(DraftStateMixin, RevisionMixin, ClusterableModel):
    """'You said': one thing parents said, resting either on a consultation's answers or on a point
    raised at a forum meeting."""

    summary = models.TextField(
        "You said",
        max_length=500,
        help_text="What parents said, in plain words, e.g. 'Meetings in the day are hard to get to if you work.'",
    )
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="feedback_items")
    districts = ParentalManyToManyField(
        "parentvoice.District", blank=True, related_name="+", help_text="None means county-wide."
    )
    consultation = models.ForeignKey(
        "surveys.ConsultationPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_items",
        help_text="The consultation whose answers this rests on.",
    )
    evidence = models.JSONField(
        "Answers it rests on",
        default=list,
        blank=True,
        help_text="The answers this rests on. The number of people behind it is counted from them.",
    )
    event = models.ForeignKey(
        "forums.EventPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_items",
        help_text="Or: the forum meeting where parents raised it.",
    )
    point_id = models.CharField(
        "Point raised", max_length=64, blank=True, help_text="The point in the meeting's 'What parents said'."
    )
    actions = ParentalManyToManyField(
        "feedback_loop.Action",
        blank=True,
        related_name="feedback_items",
        verbose_name="Action plan actions",
        help_text="The actions in the action plan this feeds into, if any.",
    )
    response_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="People whose answers this rests on, counted when saved."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    panels = [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("theme"), FieldPanel("districts")]),
        FieldPanel("actions"),
        MultiFieldPanel(
            [
                HelpPanel(
                    "Choose a consultation or a forum meeting, then save: the answers or points to choose "
                    "from appear below it."
                ),
                FieldPanel("consultation"),
                FieldPanel("evidence"),
                FieldPanel("event"),
                FieldPanel("point_id"),
            ],
            heading="Where parents said it",
        ),
        InlinePanel(
            "quotes",
            heading="Quotes",
            label="Quote",
            help_text="Optional. Only quotes you approve are published. Remove names, places, phone numbers "
            "and anything else that could identify someone before you approve a quote.",
        ),
    ]
    search_fields = [index.SearchField("summary"), index.AutocompleteField("summary")]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "'You said' item"
        verbose_name_plural = "'You said' items"
        permissions = [("publish_feedbackitem", "Can publish 'You said' item")]

    def __str__(self):
        return Truncator(self.summary).chars(80)

    def clean(self):
        super().clean()
        from .services.items import check_feedback_item

        check_feedback_item(self)

    def save(self, *args, **kwargs):
        from .services.items import evidence_count

        self.response_count = evidence_count(self)
        super().save(*args, **kwargs)

    @property
    def source_title(self):
        """The consultation's title, or the forum's (the meeting's if it belongs to none)."""
        if self.consultation_id:
            return self.consultation.title
        if not self.event_id:
            return PARENTS_TOLD_US
        forum = self.event.forum
        return forum.title if forum else self.event.title

    @property
    def people_rounded(self):
        """How many people this rests on, as published: rounded to 5, None under 5 (see
        surveys/small_numbers.py: the exact number could give away a count a results table hides)."""
        from surveys.small_numbers import rounded

        return rounded(self.response_count)

    @property
    def source_closed_at(self):
        if self.consultation_id:
            return self.consultation.closes_at
        if self.event_id:
            return self.event.start
        return None


class FeedbackQuote(Orderable):
    item = ParentalKey(FeedbackItem, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField(
        max_length=600, help_text="In the parent's words, with anything that could identify someone removed."
    )
    approved = models.BooleanField(
        "Approved for publishing",
        default=False,
        help_text="I have checked this quote identifies nobody: no names, places, schools, numbers or addresses.",
    )

    panels = [FieldPanel("text"), FieldPanel("approved")]

    def __str__(self):
        return self.text[:60]

    def clean(self):
        super().clean()
        from .services.items import quote_problem

        problem = quote_problem(self.text) if self.approved else None
        if problem:
            raise ValidationError({"text": problem})


class Decision(DraftStateMixin, RevisionMixin, ClusterableModel):
    """'We did': what was decided about one or more feedback items, and what has happened since."""

    feedback_items = ParentalManyToManyField(
        FeedbackItem, related_name="decisions", verbose_name="What parents said (the 'You said' items)"
    )
    summary = models.TextField(
        "We did",
        max_length=800,
        help_text="What was decided, in plain words, e.g. 'From January, every forum will hold one evening "
        "meeting each term.'",
    )
    status = models.CharField(
        max_length=30, choices=DecisionStatus.choices, default=DecisionStatus.UNDER_CONSIDERATION
    )
    reason = models.TextField(
        "Why",
        blank=True,
        max_length=1000,
        help_text="Required when not agreed: explain why, honestly and plainly.",
    )
    deciding_body = models.CharField(
        max_length=120, help_text="Who decided, e.g. 'Kent Children's Trust Board'."
    )
    owner = models.CharField(
        max_length=120, help_text="A job title or team, not a person's name, e.g. 'Head of Early Help'."
    )
    decided_on = models.DateField(
        null=True, blank=True, help_text="Required once it is no longer under consideration."
    )
    due_on = models.DateField("Due by", null=True, blank=True, help_text="When it should be done.")
    actions = ParentalManyToManyField(
        "feedback_loop.Action",
        blank=True,
        related_name="decisions",
        verbose_name="Action plan actions",
        help_text="The actions in the action plan this decision serves, if any.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    panels = [
        FieldPanel("feedback_items"),
        FieldPanel("summary"),
        FieldPanel("actions"),
        FieldRowPanel([FieldPanel("status"), FieldPanel("decided_on"), FieldPanel("due_on")]),
        FieldPanel("reason"),
        FieldRowPanel([FieldPanel("deciding_body"), FieldPanel("owner")]),
        InlinePanel("updates", heading="Progress updates", label="Update"),
        HelpPanel(
            "Publishing tells everyone who answered or raised this, and agreed to hear about outcomes, "
            "by text or email. Before anything is sent you see how many people it will tell and exactly "
            "what they get. They are told again when the status changes, not when you correct wording."
        ),
    ]
    search_fields = [index.SearchField("summary"), index.AutocompleteField("summary")]

    class Meta:
        ordering = ["-decided_on", "-pk"]
        permissions = [("publish_decision", "Can publish decision")]

    def __str__(self):
        return Truncator(self.summary).chars(80)

    def clean(self):
        super().clean()
        from .services.decisions import check_decision

        check_decision(self)

    @property
    def status_colour(self):
        return STATUS_TAG_COLOURS[self.status]


class DecisionUpdate(Orderable):
    decision = ParentalKey(Decision, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(default=timezone.localdate)
    text = models.TextField(max_length=600, help_text="What has happened, in plain words.")
    tell_parents = models.BooleanField(
        "Tell parents about this update",
        default=False,
        help_text="When the decision is published, the people behind it get this update (once).",
    )

    panels = [FieldPanel("date"), FieldPanel("text"), FieldPanel("tell_parents")]

    class Meta(Orderable.Meta):
        ordering = ["-date", "sort_order"]

    def __str__(self):
        return f"Update of {govuk_date(self.date)}"


class OutcomeNotice(models.Model):
    """Parents were told about a decision reaching this status, through this campaign (one per
    decision and status, so republishing a wording change tells nobody twice), or about one of its
    progress updates marked "tell parents" (one per update)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="notices")
    status = models.CharField(max_length=30, choices=DecisionStatus.choices)
    update = models.ForeignKey(
        DecisionUpdate, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )
    campaign = models.ForeignKey(
        "messaging.Campaign", null=True, on_delete=models.SET_NULL, related_name="outcome_notices"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "status"],
                condition=models.Q(update__isnull=True),
                name="one_notice_per_decision_status",
            ),
            models.UniqueConstraint(
                fields=["update"], condition=models.Q(update__isnull=False), name="one_notice_per_update"
            ),
        ]

    def __str__(self):
        return f"Notice of decision {self.decision_id}: {self.get_status_display()}"


class FeedbackClosure(models.Model):
    """A consultation marked 'closed with feedback': every 'You said' item has a published decision."""

    consultation = models.OneToOneField(
        "surveys.ConsultationPage", on_delete=models.CASCADE, related_name="feedback_closure"
    )
    closed_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    # Who took part, asked and was told, per channel, frozen when retention removes the responses'
    # links to people (after which they could no longer be counted): the dashboard shows these.
    told_figures = models.JSONField(null=True, blank=True, editable=False)

    def __str__(self):
        return f"Consultation {self.consultation_id} closed with feedback"


class YouSaidWeDidPage(RoutablePageMixin, Page):
    introduction = models.TextField(
        max_length=400,
        default="What parents told us, what was decided and why, and what has happened since.",
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    max_count = 1
    subpage_types = []

    class Meta:
        verbose_name = "'You said, we did' log"

    def decision_url(self, decision_id, request=None):
        """A decision's page on this log (a path, like Page.get_url)."""
        return self.get_url(request=request) + self.reverse_subpage("decision", args=[decision_id])

    @path("")
    def log(self, request):
        from . import views

        return views.log(request, self)

    @path("decisions/<int:decision_id>/")
    def decision(self, request, decision_id):
        from . import views

        return views.decision_detail(request, self, decision_id)

    @path("feed/")
    def rss(self, request):
        from . import feeds

        return feeds.DecisionsRss()(request, page=self)

    @path("feed/atom/")
    def atom(self, request):
        from . import feeds

        return feeds.DecisionsAtom()(request, page=self)


# --- The action plan ----------------------------------------------------------------------------


class Priority(RevisionMixin, models.Model):
    """One of the action plan's priorities, e.g. '1 Reducing poverty', with the outcomes and national
    indicators it supports."""

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200)
    lead_job_title = models.CharField(
        "Priority lead",
        max_length=120,
        blank=True,
        help_text="A job title, not a person's name, e.g. 'Head of Early Intervention'.",
    )
    outcomes = models.TextField(blank=True, help_text="The outcomes it supports, one per line.")
    indicators = models.TextField(
        "National indicators", blank=True, help_text="The indicators it is measured by, one per line."
    )

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("title")]),
        FieldPanel("lead_job_title"),
        FieldPanel("outcomes"),
        FieldPanel("indicators"),
    ]

    class Meta:
        ordering = ["number"]
        verbose_name_plural = "priorities"

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def outcome_lines(self):
        return [line.strip() for line in self.outcomes.splitlines() if line.strip()]

    @property
    def indicator_lines(self):
        return [line.strip() for line in self.indicators.splitlines() if line.strip()]


class Action(RevisionMixin, ClusterableModel):
    """A numbered supportive action under a priority. Its status is its latest progress report."""

    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="actions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField("Action", max_length=1500)
    lead_job_title = models.CharField(
        "Lead",
        max_length=120,
        blank=True,
        help_text="A job title or team, e.g. 'Parenting Strategy Manager'.",
    )
    lead_users = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="lead_actions",
        verbose_name="Who reports on it",
        help_text="People with an action lead login who report progress on this action.",
    )
    partners = models.CharField(
        max_length=300, blank=True, help_text="e.g. 'Children's centres, Jobcentre Plus'."
    )
    starts_on = models.DateField("Starts", null=True, blank=True)
    due_on = models.DateField("Due by", null=True, blank=True)
    districts = ParentalManyToManyField(
        "parentvoice.District", blank=True, related_name="+", help_text="None means county-wide."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    panels = [
        FieldRowPanel([FieldPanel("priority"), FieldPanel("number")]),
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("lead_job_title"), FieldPanel("partners")]),
        FieldPanel("lead_users"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("due_on")]),
        FieldPanel("districts"),
    ]
    search_fields = [index.SearchField("text"), index.AutocompleteField("text")]

    class Meta:
        ordering = ["priority__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "number"], name="one_action_number_per_priority")
        ]
        permissions = [("report_on_any_action", "Can report progress on any action")]

    def __str__(self):
        return f"{self.priority.number}.{self.number} {Truncator(self.text).chars(70)}"

    @property
    def reference(self):
        return f"{self.priority.number}.{self.number}"


class ProgressReport(models.Model):
    """A dated report on an action: where it stands (RAG) and why. The latest is the action's status."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField(default=timezone.localdate)
    status = models.CharField(max_length=20, choices=RagStatus.choices)
    commentary = models.TextField(
        max_length=1500,
        blank=True,
        help_text="Required for red or amber: what is wrong and what is being done. This is published.",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-reported_on", "-pk"]
        indexes = [models.Index(fields=["action", "-reported_on", "-id"])]

    def __str__(self):
        return f"{self.get_status_display()} on {govuk_date(self.reported_on)}"

    @property
    def status_colour(self):
        return RAG_TAG_COLOURS[self.status]


class Report(models.Model):
    """A district, theme or board report for a period. Its PDF is made in a task and kept here (never
    under MEDIA_URL: only staff who may see reports download it)."""

    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    district = models.ForeignKey(
        "parentvoice.District", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=20, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind=ReportKind.BOARD, district__isnull=True, theme__isnull=True)
                    | models.Q(kind=ReportKind.DISTRICT, district__isnull=False, theme__isnull=True)
                    | models.Q(kind=ReportKind.THEME, district__isnull=True, theme__isnull=False)
                ),
                name="report_subject_matches_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="report_period_in_order"
            ),
        ]

    def __str__(self):
        subject = self.district or self.theme
        name = f"{self.get_kind_display()}: {subject}" if subject else self.get_kind_display()
        return f"{name}, {govuk_date(self.period_start)} to {govuk_date(self.period_end)}"


class ProgressPage(RoutablePageMixin, Page):
    """The public "How we are doing" page: each priority of the action plan with its actions' status."""

    introduction = models.TextField(
        max_length=600,
        default="How the plan for supporting parents is going: every action, where it stands and why, "
        "and the decisions behind it.",
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    max_count = 1
    subpage_types = []

    class Meta:
        verbose_name = "'How we are doing' page"

    def priority_url(self, number, request=None):
        return self.get_url(request=request) + self.reverse_subpage("priority", args=[number])

    @path("")
    def plan(self, request):
        from . import views

        return views.progress(request, self)

    @path("priorities/<int:number>/")
    def priority(self, request, number):
        from . import views

        return views.priority_progress(request, self, number)


# --- "Tell us": what parents tell the council at any time ---------------------------------------


class OpenFeedbackSource(models.TextChoices):
    WEB = "web", "Web form"
    SMS = "sms", "Text message"
    HELPLINE = "helpline", "Helpline"
    SCHOOL_GATE = "school_gate", "At a school gate"
    MEETING = "meeting", "At a meeting"
    OTHER = "other", "Other"


# What an officer may record for someone (the web form and texts record themselves).
OFFICER_SOURCES = [OpenFeedbackSource.HELPLINE, OpenFeedbackSource.SCHOOL_GATE, OpenFeedbackSource.MEETING,
                   OpenFeedbackSource.OTHER]  # fmt: skip


class OpenFeedbackStatus(models.TextChoices):
    NEW = "new", "New"
    MADE_ITEM = "made_item", "Made into a 'You said' item"
    LINKED = "linked", "Added to an existing item"
    CLOSED = "closed", "Closed with no action"


class OpenFeedback(models.Model):
    """Something a parent told the council outside any consultation: on the "Tell us" form, by texting
    the TELL keyword, or to an officer (helpline, school gate, meeting). Officers triage it into a
    'You said' item; its status changes only in `services.tell_us` (see TRANSITIONS there)."""

    text = models.TextField("What they told us", max_length=2000)
    district = models.ForeignKey(
        "parentvoice.District", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(max_length=20, choices=OpenFeedbackSource.choices)
    received_at = models.DateTimeField(default=timezone.now)
    # Only a text's sender (the number showed it is theirs), to ask to be told by replying; removed by
    # retention. The web form's address is never stored here: it goes through a follow request.
    contact = models.ForeignKey(
        "messaging.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=OpenFeedbackStatus.choices, default=OpenFeedbackStatus.NEW
    )
    feedback_item = models.ForeignKey(
        FeedbackItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="open_feedback"
    )
    closed_reason = models.CharField(max_length=300, blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = "open feedback entry"
        verbose_name_plural = "open feedback"
        indexes = [models.Index(fields=["status", "-received_at"])]

    def __str__(self):
        return f"Tell us {self.reference}"

    @property
    def reference(self) -> str:
        return f"TU-{self.pk}"
