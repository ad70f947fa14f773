"""District parent fora and their events. A forum is a page under the fora index; its events are
pages under it, so Wagtail's page permissions can give a forum's coordinators that subtree alone."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from messaging.choices import ParentRole
from parentvoice.blocks import RICH_TEXT_FEATURES

from .choices import AttendanceGroup, BookingStatus, EventAudience, EventKind, ForumKind
from .panels import EventPeoplePanel, TranslationHelpPanel

# Changing any of these changes what a calendar shows: the event's iCal SEQUENCE goes up.
CALENDAR_FIELDS = ("title", "start", "end", "venue_name", "address", "online_link", "cancelled")


class OneAcrossLanguages:
    """A forum or an event translated into other languages is still one forum or event: what is kept
    about it (members, bookings, coordinators) belongs to its English page (forums/services/translations.py)."""

    @cached_property
    def source_page(self):
        from parentvoice.languages import source_of

        return source_of(self)

    @property
    def is_translation(self) -> bool:
        return bool(self.pk) and self.source_page.pk != self.pk

    def full_clean(self, *args, **kwargs):
        from .services.translations import follow_source

        if self.pk and self.is_translation:
            follow_source(self)
        super().full_clean(*args, **kwargs)

    def _before_save(self, kwargs) -> bool:
        """Take the English page's shared fields when a translation is saved whole. Returns whether
        the English page's translations must take this page's after it is saved."""
        from .services.translations import follow_source

        if kwargs.get("update_fields") is not None or not self.translation_key:
            return False
        source = self.source_page
        if source is not None and source.pk is not None and source.pk != self.pk:
            follow_source(self)
            return False
        # A new English page has no translations yet.
        return not self._state.adding

    def _after_save(self, push: bool) -> None:
        from .services.translations import push_to_translations

        if push:
            push_to_translations(self)


class ForumIndexPage(RoutablePageMixin, Page):
    introduction = models.TextField(max_length=400, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    # Events straight under the index belong to no forum: information sessions, transition evenings,
    # drop-ins, listed on What's on with the fora's events.
    subpage_types = ["forums.ForumPage", "forums.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = "parent fora index"

    @path("")
    def fora(self, request):
        from . import views

        return views.forum_index(request, self)

    @path("whats-on/")
    def whats_on(self, request):
        from . import views

        return views.whats_on(request, self)

    @path("calendar/")
    def calendar(self, request):
        from . import views

        return views.site_calendar(request, self)


class ForumPage(OneAcrossLanguages, RoutablePageMixin, Page):
    kind = models.CharField(max_length=20, choices=ForumKind.choices, default=ForumKind.DISTRICT)
    district = models.ForeignKey(
        "parentvoice.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fora",
        help_text="A district forum's district. Leave empty for a county-wide forum.",
    )
    summary = models.TextField(max_length=300, help_text="One or two plain-English sentences.")
    who_for = models.CharField("Who it is for", max_length=200)
    how_it_works = RichTextField(features=RICH_TEXT_FEATURES)
    meeting_pattern = models.CharField(
        max_length=200, help_text="For example: the second Tuesday of each month, 10am to 12 noon."
    )
    news = StreamField(
        [
            (
                "update",
                blocks.StructBlock(
                    [
                        ("date", blocks.DateBlock()),
                        ("heading", blocks.CharBlock(max_length=120)),
                        ("text", blocks.RichTextBlock(features=RICH_TEXT_FEATURES)),
                    ],
                    icon="doc-full",
                ),
            )
        ],
        blank=True,
        use_json_field=True,
        help_text="News for the forum's members, newest first.",
    )
    coordinators = models.OneToOneField(
        "auth.Group",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="coordinated_forum",
        help_text="Created with the forum: may edit and publish this forum's pages and events only.",
    )

    content_panels = [
        TranslationHelpPanel(
            "This is a translation: translate the words only. The kind of forum and its district are "
            "the English forum's. People who join here join the English forum, and its coordinators "
            "see them.",
            heading="Translation",
        ),
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("district"),
        FieldPanel("summary"),
        FieldPanel("who_for"),
        FieldPanel("how_it_works"),
        FieldPanel("meeting_pattern"),
        FieldPanel("news"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["forums.ForumIndexPage"]
    subpage_types = ["forums.EventPage"]
    # A group coordinates one forum: a copy gets its own group, a translation its English forum's
    # (forums/services/coordinators.py).
    exclude_fields_in_copy = ["coordinators"]

    class Meta:
        verbose_name = "parent forum"
        # Held by each forum's own coordinators group, and checked per forum: see forums/permissions.py.
        permissions = [("view_forum_people", "Can see the forum's members and its events' bookings")]

    def save(self, *args, **kwargs):
        push = self._before_save(kwargs)
        super().save(*args, **kwargs)
        self._after_save(push)

    def clean(self):
        super().clean()
        if self.kind == ForumKind.DISTRICT and self.district_id is None:
            raise ValidationError(
                {"district": "Choose the forum's district, or choose another kind of forum."}
            )

    @property
    def for_practitioners(self) -> bool:
        return self.kind == ForumKind.PRACTITIONERS

    @path("")
    def forum(self, request):
        from . import views

        return views.forum(request, self)

    @path("calendar/")
    def calendar(self, request):
        from . import views

        return views.forum_calendar(request, self)


class EventPage(OneAcrossLanguages, Page):
    forum = models.ForeignKey(
        ForumPage, null=True, editable=False, on_delete=models.SET_NULL, related_name="events"
    )
    kind = models.CharField(max_length=30, choices=EventKind.choices, default=EventKind.FORUM_MEETING)
    audience = models.CharField(
        "Who it is for", max_length=20, choices=EventAudience.choices, default=EventAudience.PARENTS
    )
    district = models.ForeignKey(
        "parentvoice.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For an event outside the fora: where it is. Leave empty for county-wide. "
        "A forum's events take the forum's district.",
    )
    start = models.DateTimeField(help_text="UK time.")
    end = models.DateTimeField(help_text="UK time.")
    description = RichTextField(features=RICH_TEXT_FEATURES, blank=True)
    venue_name = models.CharField(
        max_length=150, blank=True, help_text="Leave empty for an online-only meeting."
    )
    address = models.TextField(blank=True)
    online_link = models.URLField(blank=True, help_text="A link to join online, if people can.")
    venue_accessibility = models.TextField(
        "Getting there and access",
        blank=True,
        help_text="Step-free access, accessible toilets, parking, buses, hearing loop…",
    )
    creche = models.BooleanField("Creche or childcare available", default=False)
    interpreter_on_request = models.BooleanField(default=False)
    refreshments = models.BooleanField(default=False)
    booking_required = models.BooleanField(default=False, help_text="Untick for a drop-in.")
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Places, where booking is needed."
    )
    cancelled = models.BooleanField(default=False)
    cancellation_notice = models.TextField(blank=True, help_text="Shown when the event is cancelled.")
    sequence = models.PositiveIntegerField(default=0, editable=False, help_text="iCal SEQUENCE.")
    agenda = RichTextField(
        features=RICH_TEXT_FEATURES, blank=True, help_text="Before the meeting: what it will cover."
    )
    papers = StreamField(
        [("paper", DocumentChooserBlock())],
        blank=True,
        use_json_field=True,
        help_text="Papers for the meeting (PDFs, documents). Each shows its type and size.",
    )
    agenda_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    written_up_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the coordinator finished the write-up."
    )
    written_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    meeting_notes = RichTextField(
        features=RICH_TEXT_FEATURES, blank=True, help_text="After the meeting: a short public summary."
    )
    minutes = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    parents_said = StreamField(
        [
            (
                "said",
                blocks.StructBlock(
                    [
                        (
                            "text",
                            blocks.TextBlock(
                                help_text="What parents said, in plain words, with nothing that identifies anyone."
                            ),
                        ),
                        ("theme", blocks.CharBlock(required=False, max_length=60)),
                    ],
                    icon="openquote",
                ),
            )
        ],
        blank=True,
        use_json_field=True,
        verbose_name="What parents said",
        help_text="Each point can become a 'You said' item in the feedback log.",
    )

    content_panels = [
        TranslationHelpPanel(
            "This is a translation: translate the words only. Its kind, audience, district, times, "
            "online link, what is provided, booking settings and whether it is cancelled are the "
            "English event's, and change when the English event is published. Bookings made here "
            "are the English event's bookings.",
            heading="Translation",
        ),
        EventPeoplePanel(),
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("audience")]),
        FieldPanel("district"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("venue_name"),
                FieldPanel("address"),
                FieldPanel("online_link"),
                FieldPanel("venue_accessibility"),
            ],
            heading="Where",
        ),
        MultiFieldPanel(
            [FieldPanel("creche"), FieldPanel("interpreter_on_request"), FieldPanel("refreshments")],
            heading="What is provided",
        ),
        MultiFieldPanel([FieldPanel("booking_required"), FieldPanel("capacity")], heading="Booking"),
        MultiFieldPanel([FieldPanel("cancelled"), FieldPanel("cancellation_notice")], heading="Cancelling"),
        MultiFieldPanel([FieldPanel("agenda"), FieldPanel("papers")], heading="Before the meeting"),
        MultiFieldPanel(
            [FieldPanel("meeting_notes"), FieldPanel("minutes"), FieldPanel("parents_said")],
            heading="After the meeting",
        ),
    ]
    parent_page_types = ["forums.ForumPage", "forums.ForumIndexPage"]
    subpage_types = []
    # Coordinators make the next meeting by copying the last: the copy is a meeting not yet reminded
    # about, held or written up (its forum comes from where it is put, on save).
    exclude_fields_in_copy = [
        "agenda_reminder_sent_at",
        "written_up_at",
        "written_up_by",
        "meeting_notes",
        "minutes",
        "parents_said",
    ]

    class Meta:
        verbose_name = "event"
        indexes = [models.Index(fields=["start"])]
        permissions = [
            ("view_county_event_people", "Can see the bookings for events outside the fora"),
            ("review_write_ups", "Can see every forum's meeting write-ups"),
        ]

    def get_context(self, request, *args, **kwargs):
        from . import services

        context = super().get_context(request, *args, **kwargs)
        context["now"] = timezone.now()
        # A translation's places are its English event's: bookings made in any language are kept there.
        context["booking_state"] = services.booking_state(self.source_page, context["now"])
        return context

    @property
    def needs_write_up(self) -> bool:
        """Forum meetings are written up afterwards (attendance, notes, minutes, what parents said)."""
        return self.kind == EventKind.FORUM_MEETING and self.forum_id is not None and not self.cancelled

    @property
    def is_online(self):
        return bool(self.online_link)

    @property
    def is_in_person(self):
        return bool(self.venue_name or self.address)

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = "The end must be after the start."
        if not (self.venue_name or self.address or self.online_link):
            errors["venue_name"] = "Enter a venue and address, or a link to join online."
        if self.booking_required and not self.capacity:
            errors["capacity"] = "Enter how many places there are, or untick 'Booking required'."
        if self.cancelled and not self.cancellation_notice.strip():
            errors["cancellation_notice"] = "Tell people the event is cancelled, and what to do instead."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        from . import services

        push = self._before_save(kwargs)  # first: a translation's calendar fields are the English event's
        services.prepare_event_for_save(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)
        self._after_save(push)


class Booking(models.Model):
    """Places on an event for one household. No account: a name and an email address or mobile."""

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="bookings")
    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    mobile = models.CharField(max_length=32, blank=True, help_text="+44 form.")
    adults = models.PositiveSmallIntegerField(default=1)
    children = models.PositiveSmallIntegerField(default=0)
    creche_places = models.PositiveSmallIntegerField(default=0)
    access_needs = models.TextField(blank=True)
    # Optional, asked on the booking form, for the reach dashboard (who comes to meetings).
    parent_role = models.CharField(max_length=20, blank=True, choices=ParentRole.choices)
    status = models.CharField(max_length=20, choices=BookingStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self):
        return f"Booking {self.pk} ({self.get_status_display()})"

    @property
    def places(self):
        return self.adults + self.children


class Membership(models.Model):
    """A contact who joined a forum. Leaving sets `left_at`; what they agreed to hear about is in
    messaging's consent ledger, per channel and purpose. A practitioner's membership carries their
    organisation; their contact holds their work email address."""

    forum = models.ForeignKey(ForumPage, on_delete=models.CASCADE, related_name="memberships")
    contact = models.ForeignKey(
        "messaging.Contact", on_delete=models.CASCADE, related_name="forum_memberships"
    )
    organisation = models.CharField(max_length=150, blank=True, help_text="Practitioners only.")
    job_title = models.CharField(max_length=150, blank=True, help_text="Practitioners only, optional.")
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "contact"],
                condition=models.Q(left_at__isnull=True),
                name="one_membership_per_forum",
            )
        ]

    def __str__(self):
        return f"Member of forum {self.forum_id}"


class ForumEnquiry(models.Model):
    """A message to a forum's coordinators from the contact form: no coordinator's address is published."""

    forum = models.ForeignKey(ForumPage, on_delete=models.CASCADE, related_name="enquiries")
    name = models.CharField(max_length=120)
    reply_to = models.CharField(max_length=254, help_text="An email address or a mobile number.")
    message = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "forum enquiries"

    def __str__(self):
        return f"Enquiry to forum {self.forum_id}"


class Attendance(models.Model):
    """How many came to a meeting, by group: counts only, never names. Recorded on the write-up
    checklist; feeds the reach figures."""

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="attendance")
    group = models.CharField(max_length=20, choices=AttendanceGroup.choices)
    count = models.PositiveIntegerField()

    wagtail_reference_index_ignore = True

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "group"], name="one_count_per_group")]
        verbose_name_plural = "attendance"

    def __str__(self):
        return f"{self.count} {self.get_group_display()} at event {self.event_id}"


class ParentPageLink(models.Model):
    """A one-time link to a parent's own page, sent to an address on request. Only a hash of the
    token is kept; it works once, before `expires_at`, and says nothing about whether the address was
    known (a request for an unknown address is recorded the same way and sends nothing)."""

    channel = models.CharField(max_length=10)
    address = models.CharField(max_length=254, help_text="A mobile number in +44 form, or an email address.")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self):
        return f"Parent page link {self.pk}"
