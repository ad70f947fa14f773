from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from parentvoice import languages
from parentvoice.blocks import RICH_TEXT_FEATURES

from .blocks import EasyReadStreamBlock, QuestionStreamBlock
from .choices import (
    Anonymity,
    ConversationStatus,
    Disability,
    Ethnicity,
    PartnerKind,
    ReachDimension,
    ResponseChannel,
    ResponseStatus,
    TurnOutcome,
)
from .panels import SmsPreviewPanel, TranslationHelpPanel

KEYWORD_HELP = (
    "One word people text to the service number to answer by text, e.g. CHILDCARE. Letters and numbers only."
)


class ConsultationIndexPage(Page):
    introduction = models.TextField(max_length=400, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    subpage_types = ["surveys.ConsultationPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from . import services

        context = super().get_context(request, *args, **kwargs)
        context.update(services.consultation_listing(self))
        return context


class ConsultationPage(RoutablePageMixin, Page):
    summary = models.TextField(
        max_length=400, help_text="One or two plain-English sentences: what this is about."
    )
    why_asking = RichTextField("Why we are asking", features=RICH_TEXT_FEATURES)
    what_happens_next = RichTextField(features=RICH_TEXT_FEATURES)
    who_for = models.CharField(
        "Who it is for", max_length=200, default="Parents and carers of children and young people in Kent"
    )
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    districts = ParentalManyToManyField(
        "parentvoice.District", blank=True, help_text="None means county-wide."
    )
    anonymity = models.CharField(max_length=20, choices=Anonymity.choices, default=Anonymity.LINKED)
    sms_keyword = models.CharField("SMS keyword", max_length=20, blank=True, help_text=KEYWORD_HELP)
    ask_about_you = models.BooleanField(
        "Ask the 'About you' questions", default=True, help_text="Parent role, children's ages and district."
    )
    ask_equality = models.BooleanField("Ask equality questions", default=False)
    questions = StreamField(QuestionStreamBlock(), use_json_field=True)
    results_summary = RichTextField(blank=True, features=RICH_TEXT_FEATURES)
    results_published = models.BooleanField(
        default=False, help_text="Show the results summary and totals on the public results page."
    )

    # A translation's answers, opening times and settings are the English page's: see `source_page`.
    # A copy (or a translation) must not take the original's keyword: each keyword leads to one page.
    exclude_fields_in_copy = ["sms_keyword"]

    content_panels = [
        TranslationHelpPanel(
            "This is a translation: translate the wording only. Its opening and closing times, "
            "districts, anonymity, 'About you' and equality questions, whether its results are "
            "published, and its questions' order, types, codes and choice keys are the English "
            "page's, and change when the English page is published. Answers given here are counted "
            "with the English page's.",
            heading="Translation",
        ),
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("why_asking"),
        FieldPanel("what_happens_next"),
        MultiFieldPanel(
            [
                FieldPanel("who_for"),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("districts"),
                FieldPanel("anonymity"),
                FieldPanel("sms_keyword"),
            ],
            heading="Who and when",
        ),
        MultiFieldPanel(
            [
                HelpPanel(
                    "Once anyone has answered, you can correct wording but not add, remove or reorder questions, "
                    "change their type, or remove choices: that would scramble the answers already given."
                ),
                FieldPanel("questions"),
                FieldPanel("ask_about_you"),
                FieldPanel("ask_equality"),
            ],
            heading="Questions",
        ),
        SmsPreviewPanel(heading="The questions as text messages"),
        InlinePanel(
            "documents",
            heading="Documents",
            label="Document",
            help_text="Papers people may want to read first, such as the full proposal. Each is listed "
            "with its type and size; documents in a private collection are left out.",
        ),
        MultiFieldPanel([FieldPanel("results_summary"), FieldPanel("results_published")], heading="Results"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["surveys.ConsultationIndexPage"]
    subpage_types = ["surveys.EasyReadPage"]

    class Meta:
        verbose_name = "consultation"

    def clean(self):
        super().clean()
        from . import services, translations

        # As saving stores it, so the editor's preview shows the keyword people will be told to text.
        self.sms_keyword = (self.sms_keyword or "").strip().upper()
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = "The closing date must be after the opening date."
        keyword_error = services.sms_keyword_problem(self)
        if keyword_error:
            errors["sms_keyword"] = keyword_error
        lock_error = services.question_change_problem(self)
        if lock_error:
            errors["questions"] = lock_error
        if self.is_translation:
            translation_error = translations.align_questions(self)
            if translation_error:
                errors["questions"] = translation_error
        if errors:
            raise ValidationError(errors)

    def full_clean(self, *args, **kwargs):
        from . import translations

        # Before the fields are checked, so the dates checked (and shown again on an error) are the
        # English page's: a translation cannot be open when the English is not.
        if self.is_translation:
            translations.follow_source(self)
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        from . import translations

        self.sms_keyword = self.sms_keyword.strip().upper()
        whole = kwargs.get("update_fields") is None  # saving a draft revision writes only a few fields
        if whole and self.is_translation:
            translations.follow_source(self)
        super().save(*args, **kwargs)
        if whole and not self.is_translation:
            translations.push_to_translations(self)

    @cached_property
    def source_page(self) -> "ConsultationPage":
        """The page in the site's default language that this one translates, or itself. Answers in
        every language are stored against it, so there is one result set (docs/languages.md)."""
        return languages.source_of(self)

    @property
    def is_translation(self) -> bool:
        return self.source_page.pk != self.pk

    @property
    def language_code(self) -> str:
        return self.locale.language_code if self.locale_id else settings.LANGUAGE_CODE

    @property
    def is_open(self):
        return self.opens_at <= timezone.now() < self.closes_at

    @property
    def has_closed(self):
        return timezone.now() >= self.closes_at

    # --- The intro and public results live at the page's URL; answering pages are plain Django
    # views under /consultations/<page id>/ (surveys/urls.py), so each answer skips Wagtail's routing.

    @path("")
    def intro(self, request):
        from . import views

        return views.intro(request, self)

    @path("results/")
    def results(self, request):
        from . import views

        return views.public_results(request, self)


class EasyReadPage(Page):
    """A consultation's easy-read version: short sentences, one idea each, with a picture beside it.
    Linked from the consultation's intro; it has no answering pages of its own (it links back)."""

    body = StreamField(EasyReadStreamBlock(), use_json_field=True)

    content_panels = [
        *Page.content_panels,
        HelpPanel(
            "Easy read: one idea a row, short sentences of ten words or fewer, everyday words, and a "
            "picture that shows the idea. Pictures need a description for people who cannot see them."
        ),
        FieldPanel("body"),
    ]
    parent_page_types = ["surveys.ConsultationPage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "easy-read version"

    def route(self, request, path_components):
        # Wagtail serves a live page under an unpublished one: an easy-read version would still show the
        # withdrawn consultation's title and a button to answer it. It goes with its consultation.
        if (
            not path_components
            and not ConsultationPage.objects.filter(path=self.path[: -self.steplen], live=True).exists()
        ):
            raise Http404("No such consultation")
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from . import reading

        context = super().get_context(request, *args, **kwargs)
        context.update(reading.easy_read_context(self))
        return context


class ConsultationDocument(Orderable):
    """A paper listed on a consultation's intro, in GOV.UK style: "Full proposal (PDF, 120 KB)"."""

    page = ParentalKey(ConsultationPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="What the link says. Leave blank to use the document's own title.",
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    @property
    def link_text(self) -> str:
        return self.title or self.document.title


class Response(models.Model):
    consultation = models.ForeignKey(ConsultationPage, on_delete=models.CASCADE, related_name="responses")
    channel = models.CharField(max_length=10, choices=ResponseChannel.choices)
    # The language the person answered in (the page's locale): one result set, broken down by language.
    language = models.CharField(max_length=10, default="en-gb")
    status = models.CharField(max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.COMPLETE)
    contact = models.ForeignKey("messaging.Contact", null=True, blank=True, on_delete=models.SET_NULL)
    invitation_key = models.CharField(
        max_length=60, null=True, blank=True, unique=True, help_text="One response per invitation."
    )
    reference = models.CharField(
        max_length=8,
        null=True,
        blank=True,
        unique=True,
        help_text="Shown to the person on the confirmation page. Random: it says nothing about how many answered.",
    )
    district = models.ForeignKey("parentvoice.District", null=True, blank=True, on_delete=models.SET_NULL)
    parent_role = models.CharField(max_length=20, blank=True)
    child_age_bands = models.JSONField(default=list, blank=True)
    # From the optional equality questions ("" when not asked, skipped or "prefer not to say").
    ethnicity = models.CharField(max_length=20, blank=True, choices=Ethnicity.choices)
    disability = models.CharField(max_length=20, blank=True, choices=Disability.choices)
    partner = models.ForeignKey(
        "surveys.Partner",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
        help_text="The partner whose link the person followed, if any.",
    )
    entered_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL)
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_on = models.DateField(
        null=True, blank=True, help_text="The UK date it was completed, for daily counts."
    )
    submission_key = models.CharField(
        max_length=40,
        null=True,
        blank=True,
        unique=True,
        help_text="From the web form that sent it: a retried or repeated submit saves nothing twice.",
    )
    # Whether its answers are in the results' tallies yet: a submit only saves the rows, and the first
    # read of the results after it (or a task every few responses) counts it (surveys/tallies.py).
    counted = models.BooleanField(default=False)

    class Meta:
        ordering = ["-completed_at", "-id"]
        # Reading single responses (free text, exports, paper entry) is "view_response"; the totals,
        # charts and briefings need only this.
        permissions = [("view_results", "Can see consultation results and briefings")]
        indexes = [
            # A consultation's responses in id order, a page at a time (the exports' keyset pages).
            models.Index(fields=["consultation", "id"], name="surveys_response_in_order"),
            models.Index(fields=["consultation", "completed_on"]),
            models.Index(fields=["consultation", "channel"]),
            models.Index(fields=["consultation", "district"]),
            # The few complete responses not counted yet: what `tallies.fold` reads.
            models.Index(
                fields=["consultation"],
                condition=models.Q(counted=False, status="complete"),
                name="surveys_response_to_count",
            ),
        ]

    def __str__(self):
        return f"Response {self.pk} ({self.get_channel_display()})"


class Answer(models.Model):
    """One answer. Breakdown dimensions are copied from the response (written once; changed only
    through tallies.changing), so counting needs this table alone."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    consultation = models.ForeignKey(ConsultationPage, on_delete=models.CASCADE, related_name="+")
    question_id = models.CharField(max_length=64)
    choice_key = models.CharField(max_length=40, blank=True)
    text = models.TextField(blank=True)
    number = models.BigIntegerField(null=True, blank=True)
    channel = models.CharField(max_length=10, choices=ResponseChannel.choices)
    district = models.ForeignKey("parentvoice.District", null=True, blank=True, on_delete=models.SET_NULL)
    parent_role = models.CharField(max_length=20, blank=True)
    ethnicity = models.CharField(max_length=20, blank=True)
    disability = models.CharField(max_length=20, blank=True)
    language = models.CharField(max_length=10, default="en-gb")

    class Meta:
        # Counts come from the tallies (surveys/tallies.py), so inserts keep few indexes: a question's
        # answers by response (free text, evidence) and by number (lowest and highest).
        indexes = [
            models.Index(fields=["consultation", "question_id", "response"]),
            models.Index(fields=["consultation", "question_id", "number"]),
        ]

    def __str__(self):
        return f"Answer to {self.question_id}"


class Tally(models.Model):
    """An exact running count behind the results (see surveys/tallies.py): responses are counted in by
    `tallies.fold` before anything reads these rows, so results read a few rows instead of every answer.

    A row counts answers to `question_id` with `choice_key` among those whose `dimension` (a breakdown:
    district, channel, ...; "" for all) has `value` ("" where not known). Rows with an empty question
    count whole responses; a few reserved choice keys (tallies.ANSWERED, tallies.NUMBER_SUM) hold a
    question's respondents and the sum of its numbers."""

    consultation = models.ForeignKey(ConsultationPage, on_delete=models.CASCADE, related_name="+")
    question_id = models.CharField(max_length=64, blank=True)
    choice_key = models.CharField(max_length=40, blank=True)
    dimension = models.CharField(max_length=20, blank=True)
    value = models.CharField(max_length=40, blank=True)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "question_id", "dimension", "choice_key", "value"],
                name="surveys_tally_one_row_per_count",
            )
        ]

    def __str__(self):
        return (
            f"{self.question_id or 'responses'} {self.choice_key} {self.dimension}={self.value}: {self.count}"
        )


class SmsConversation(models.Model):
    """Someone answering a consultation by text message. The answers so far live here until the last
    question is answered; then a complete Response is saved, exactly as on the web."""

    consultation = models.ForeignKey(
        ConsultationPage, on_delete=models.CASCADE, related_name="sms_conversations"
    )
    phone = models.CharField(max_length=32, help_text="E.164, e.g. +447700900123.")
    contact = models.ForeignKey("messaging.Contact", null=True, blank=True, on_delete=models.SET_NULL)
    invited = models.BooleanField(
        default=False, help_text="Started by replying YES to an invitation: one response per invitation."
    )
    status = models.CharField(
        max_length=20, choices=ConversationStatus.choices, default=ConversationStatus.ACTIVE
    )
    answers = models.JSONField(default=dict, blank=True)
    asked_question_id = models.CharField(
        max_length=64, blank=True, help_text="The question last sent: the next reply answers it."
    )
    invalid_replies = models.PositiveSmallIntegerField(default=0)
    restart_requested = models.BooleanField(
        default=False, help_text="They texted RESTART: the next RESTART or YES deletes the answers so far."
    )
    last_answered_question_id = models.CharField(max_length=64, blank=True)
    carry_on_reminder_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="The one 'questions left, reply to carry on' text before it closes."
    )
    last_answered_at = models.DateTimeField(null=True, blank=True)
    response = models.OneToOneField(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="sms_conversation"
    )
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    # Written on every text received: keep Wagtail's reference index (a queued task per save) out of it.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            # Replies carry no consultation: a phone's replies go to its one active conversation.
            models.UniqueConstraint(
                fields=["phone"],
                condition=models.Q(status="active"),
                name="one_active_sms_conversation_per_phone",
            ),
            models.UniqueConstraint(
                fields=["consultation", "phone"],
                condition=models.Q(status__in=["active", "paused"]),
                name="one_open_sms_conversation_per_consultation",
            ),
        ]
        indexes = [
            models.Index(fields=["phone", "status"]),
            models.Index(fields=["consultation", "status"]),
        ]

    def __str__(self):
        return f"Text conversation {self.pk} ({self.get_status_display()})"


class SmsTurn(models.Model):
    """One text received in a conversation; its wording and our reply are on the InboundMessage."""

    conversation = models.ForeignKey(SmsConversation, on_delete=models.CASCADE, related_name="turns")
    inbound = models.OneToOneField(
        "messaging.InboundMessage", on_delete=models.CASCADE, related_name="sms_turn"
    )
    question_id = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=20, choices=TurnOutcome.choices)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.question_id or 'no question'})"


class ResultsNotice(models.Model):
    """The people who took part were told "the results are out" (once per consultation)."""

    consultation = models.OneToOneField(
        ConsultationPage, on_delete=models.CASCADE, related_name="results_notice"
    )
    campaign = models.ForeignKey(
        "messaging.Campaign", null=True, on_delete=models.SET_NULL, related_name="results_notices"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Results notice for consultation {self.consultation_id}"


class Partner(models.Model):
    """An organisation that passes consultations on to the parents it works with (a children's centre, a
    school, health visitors): each gets its own link per consultation, so officers see whom it reached."""

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=30, choices=PartnerKind.choices)
    district = models.ForeignKey(
        "parentvoice.District", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [FieldPanel("name"), FieldRowPanel([FieldPanel("kind"), FieldPanel("district")])]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnerLink(models.Model):
    """A partner's own link to a consultation: /p/<code>/ opens the consultation and records the partner
    on the response. The code is random, so links cannot be guessed from each other."""

    consultation = models.ForeignKey(ConsultationPage, on_delete=models.CASCADE, related_name="partner_links")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="links")
    code = models.CharField(max_length=16, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "partner"], name="one_link_per_partner_and_consultation"
            )
        ]

    def __str__(self):
        return f"{self.partner} link to consultation {self.consultation_id}"


class ReachBenchmark(models.Model):
    """What share of parents in an area belong to a group (e.g. fathers, from the census), entered by
    officers: the reach dashboard compares who took part with it. No district means the whole county."""

    district = models.ForeignKey(
        "parentvoice.District",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Leave empty for the whole county.",
    )
    dimension = models.CharField(max_length=20, choices=ReachDimension.choices)
    value = models.CharField(
        "Group", max_length=40, help_text="The group's key, e.g. 'father' or 'asian' (see docs/reach.md)."
    )
    share = models.DecimalField(
        "Share (%)",
        max_digits=5,
        decimal_places=2,
        help_text="The group's share of parents there, in per cent.",
    )
    source = models.CharField(max_length=200, help_text="Where the figure comes from, e.g. 'Census 2021'.")

    panels = [
        FieldRowPanel([FieldPanel("district"), FieldPanel("dimension")]),
        FieldRowPanel([FieldPanel("value"), FieldPanel("share")]),
        FieldPanel("source"),
    ]

    class Meta:
        ordering = ["district__name", "dimension", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "dimension", "value"],
                condition=models.Q(district__isnull=False),
                name="one_benchmark_per_district_group",
            ),
            models.UniqueConstraint(
                fields=["dimension", "value"],
                condition=models.Q(district__isnull=True),
                name="one_county_benchmark_per_group",
            ),
            models.CheckConstraint(
                condition=models.Q(share__gte=0, share__lte=100), name="benchmark_share_is_a_percentage"
            ),
        ]

    def __str__(self):
        return f"{self.get_dimension_display()}: {self.value} {self.share}% ({self.district or 'county'})"


class ResumeLink(models.Model):
    """ "Save and come back later": a one-time link to carry on answering a web consultation, sent to an
    address the person typed (never kept). Only the SHA-256 of the token is stored. The answers so far
    and the question they stopped at are kept here, in the session's shape, until the link is used or
    the consultation closes (docs/save-and-come-back.md)."""

    consultation = models.ForeignKey(ConsultationPage, on_delete=models.CASCADE, related_name="resume_links")
    token_hash = models.CharField(max_length=64, unique=True)
    answers = models.JSONField(default=dict)
    position = models.CharField(max_length=64, blank=True)
    # The invitation being answered, on a linked consultation only (an anonymous one keeps nothing of it).
    contact = models.ForeignKey("messaging.Contact", on_delete=models.SET_NULL, null=True, blank=True)
    # The partner link the person followed, checked again when the answers are sent.
    partner_link_id = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        indexes = [models.Index(fields=["expires_at"]), models.Index(fields=["used_at"])]

    def __str__(self):
        return f"Resume link {self.pk}"
