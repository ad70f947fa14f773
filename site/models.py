from django.core.validators import RegexValidator
from django.db import models
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BaseStreamBlock
from .dates import govuk_datetime

HOME_SECTIONS_HOOK = "parentvoice_home_sections"


class District(models.Model):
    """A local authority district; fora, consultations and contacts are tagged with one."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    ons_code = models.CharField(
        "ONS code",
        max_length=9,
        unique=True,
        validators=[RegexValidator(r"^[EWSN]\d{8}$", "Enter a 9-character ONS code, like E07000105.")],
        help_text="The Office for National Statistics code for the district, like E07000105 for Ashford.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class HomePage(Page):
    introduction = models.TextField(
        max_length=400, help_text="One or two plain-English sentences under the main heading."
    )
    body = StreamField(BaseStreamBlock(), blank=True, use_json_field=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = home_sections(request)
        return context


def home_sections(request):
    """The home page's three panels. Each domain app fills its own panel through the
    `parentvoice_home_sections` hook (so this module imports none of them); until it does, the
    panel shows its empty state."""
    sections = {
        "consultations": {
            "title": "Have your say",
            "items": [],
            "empty_text": "There are no open consultations at the moment. Check back soon.",
        },
        "events": {
            "title": "Upcoming parent forum meetings",
            "items": [],
            "empty_text": "No meetings are planned yet.",
        },
        "decisions": {
            "title": "You said, we did",
            "items": [],
            "empty_text": "Decisions made after listening to parents will appear here.",
        },
    }
    for fn in hooks.get_hooks(HOME_SECTIONS_HOOK):
        for key, section in fn(request).items():
            sections.setdefault(key, {}).update(section)
    return [{"key": key, **section} for key, section in sections.items()]


class StandardPage(Page):
    """A plain content page: about the trust, the Parents' Charter, the accessibility statement."""

    introduction = models.TextField(max_length=400, blank=True)
    body = StreamField(BaseStreamBlock(), use_json_field=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("introduction"), index.SearchField("body")]


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    council_name = models.CharField(
        max_length=120,
        default="Kent County Council",
        help_text="Shown in the header beside the service name and in every message we send.",
    )
    council_url = models.URLField(blank=True)
    contact_email = models.EmailField(blank=True, help_text="A team mailbox, never a person's own address.")
    contact_phone = models.CharField(max_length=30, blank=True)
    contact_hours = models.CharField(
        max_length=120, blank=True, help_text="For example: Monday to Friday, 9am to 5pm"
    )
    privacy_notice_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accessibility_statement_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cookies_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [
        MultiFieldPanel([FieldPanel("council_name"), FieldPanel("council_url")], heading="Council"),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("contact_hours")],
            heading="How parents can contact the team",
        ),
        MultiFieldPanel(
            [
                FieldPanel("privacy_notice_page"),
                FieldPanel("accessibility_statement_page"),
                FieldPanel("cookies_page"),
            ],
            heading="Footer links",
        ),
    ]

    class Meta:
        verbose_name = "site settings"


class SiteFeedback(models.Model):
    """What someone told us about the website from the beta banner's feedback form. Anonymous unless
    they choose to give an email address for a reply; staff read it in the admin."""

    class Ease(models.TextChoices):
        VERY_EASY = "very_easy", "Very easy"
        EASY = "easy", "Easy"
        NEITHER = "neither", "Neither easy nor difficult"
        DIFFICULT = "difficult", "Difficult"
        VERY_DIFFICULT = "very_difficult", "Very difficult"

    TEXT_MAX_LENGTH = 1200

    created_at = models.DateTimeField("received", auto_now_add=True, db_index=True)
    trying_to_do = models.TextField("what they were trying to do", max_length=TEXT_MAX_LENGTH)
    ease = models.CharField("how easy it was", max_length=20, choices=Ease.choices)
    improve = models.TextField("how we could improve it", max_length=TEXT_MAX_LENGTH, blank=True)
    email = models.EmailField("email address for a reply", max_length=254, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "website feedback"
        verbose_name_plural = "website feedback"

    def __str__(self):
        return f"Feedback {self.pk}: {self.get_ease_display()}"

    def get_created_at_display(self) -> str:
        """ "3:20pm on Tuesday 1 December 2026", in the admin's list and inspect views."""
        return govuk_datetime(self.created_at)
