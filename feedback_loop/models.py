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

from .choices import STATUS_TAG_COLOURS, DecisionStatus


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
    response_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="People whose answers this rests on, counted when saved."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    panels = [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("theme"), FieldPanel("districts")]),
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
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    panels = [
        FieldPanel("feedback_items"),
        FieldPanel("summary"),
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
