"""Inviting parents to a consultation: the draft campaign behind "Invite parents", its reminder to
people who have not answered, and what messaging needs to know about a consultation (its personal
links, a preview link of the same length, when it closes).

In other languages: the invitation and its reminder are written in every language the consultation
is published in (the translation's title and summary, our own fixed wording from the catalogs), and a
person whose language has a live translation gets a link that opens it. The link's token is the
English page's, so the answer is stored against it and counts once (docs/languages.md).

Messaging never imports this: surveys/apps.py registers these functions with messaging.audiences.
"""

import time

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Locale
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.signals import page_published, page_unpublished

from messaging import services as messaging
from messaging.choices import FAILED_STATUSES, CampaignKind, CampaignStatus, MessageStatus, Purpose
from messaging.models import Campaign, Contact, Message
from parentvoice.dates import govuk_datetime
from parentvoice.languages import best_match

from . import services
from .choices import ConversationStatus
from .models import ConsultationPage, Response, SmsConversation

PERSONALISER = "consultation"
NOT_ANSWERED = "consultation-not-answered"


def personaliser_spec(page: ConsultationPage) -> str:
    return f"{PERSONALISER}:{page.pk}"


def can_invite(user, page: ConsultationPage) -> bool:
    """Officers who may create campaigns, for a consultation they can see in the admin."""
    if not (user.is_active and user.has_perm("messaging.add_campaign")):
        return False
    return PagePermissionPolicy().explorable_instances(user).filter(pk=page.pk).exists()


def answerable_by_text(page: ConsultationPage) -> bool:
    return bool(page.sms_keyword) and services.sms_number() is not None


def _closes(page: ConsultationPage) -> str:
    return govuk_datetime(page.closes_at, weekday=False)


def _language(shown: ConsultationPage | None) -> str:
    return shown.language_code if shown is not None else settings.LANGUAGE_CODE


def invitation_templates(page: ConsultationPage, shown: ConsultationPage | None = None) -> dict:
    """The invitation's wording: the officer checks and edits it on the campaign form. `shown`: one
    of the page's translations, for the wording in its language (its summary; our fixed words from
    the catalog; the ((…)) stay as they are, to be filled in for each person)."""
    keyword = (shown.sms_keyword if shown is not None else "") or page.sms_keyword
    by_text = bool(keyword) and services.sms_number() is not None
    with translation.override(_language(shown)):
        closes = _closes(page)
        sms = gettext("Have your say on '((title))' by %(closes)s: ((link))") % {"closes": closes}
        paragraphs = [
            gettext("Hello,"),
            (shown or page).summary,
            gettext("Have your say by %(closes)s: ((link))") % {"closes": closes},
            gettext("This link is just for you, so please do not share it. You can skip any question."),
        ]
        if by_text:
            sms += " " + gettext("Or reply YES to answer by text.")
            paragraphs.append(
                gettext(
                    "You can also answer by text message: reply YES to our text, or text %(keyword)s to %(number)s."
                )
                % {"keyword": keyword, "number": services.sms_number()["display"]}
            )
        paragraphs.append(gettext("We will tell you what we decide."))
        return {
            "sms_template": sms,
            "email_subject": gettext("Have your say: ((title))"),
            "email_template": "\n\n".join(paragraphs),
        }


def reminder_templates(
    page: ConsultationPage, *, by_text: bool, shown: ConsultationPage | None = None
) -> dict:
    """The reminder's wording (it is not checked by an officer: it goes as written here)."""
    with translation.override(_language(shown)):
        closes = _closes(page)
        sms = gettext("Reminder: '((title))' closes at %(closes)s. Your link: ((link))") % {"closes": closes}
        if by_text:
            sms += " " + gettext("Or reply YES to answer by text.")
        return {
            "sms_template": sms,
            "email_subject": gettext("Reminder: have your say on ((title))"),
            "email_template": "\n\n".join(
                [
                    gettext("Hello,"),
                    gettext(
                        "This is a reminder that '((title))' closes at %(closes)s. If you have not had "
                        "your say yet, your own link is:"
                    )
                    % {"closes": closes},
                    "((link))",
                    gettext(
                        "If you have answered since we sent this, thank you: there is nothing more to do."
                    ),
                ]
            ),
        }


def live_translations(page: ConsultationPage) -> dict[str, ConsultationPage]:
    """The consultation's published, public translations by language code (not the English, and not
    aliases, which show the English words): one query."""
    if not page.translation_key:
        return {}
    translations = (
        ConsultationPage.objects.live()
        .public()
        .filter(translation_key=page.translation_key, alias_of__isnull=True)
        .exclude(locale_id=Locale.get_default().pk)
        .select_related("locale")
        .order_by("pk")
    )
    found = {}
    for translated in translations:
        found.setdefault(translated.locale.language_code, translated)
    return found


def _campaign_translations(page: ConsultationPage, wording) -> list[dict]:
    """A campaign translation (messaging's CampaignTranslation fields) for each language the
    consultation is published in that messages can be sent in. `wording(shown)` gives its templates."""
    offered = {code for code, _ in settings.LANGUAGES}
    return [
        {"language": code, "title": shown.title[:150], **wording(shown)}
        for code, shown in live_translations(page).items()
        if code in offered
    ]


def _invitations(page: ConsultationPage):
    return Campaign.objects.filter(
        link_personaliser=personaliser_spec(page), kind=CampaignKind.CONSULTATION_INVITATION
    )


def invitation_campaigns(page: ConsultationPage):
    """Every invitation and reminder sent or drafted for this consultation, newest first."""
    return Campaign.objects.filter(link_personaliser=personaliser_spec(page)).order_by("-created_at")


@transaction.atomic
def invite_parents(page: ConsultationPage, user) -> tuple[Campaign, bool]:
    """The draft invitation campaign for this consultation, and whether it is new.

    Clicking again while a draft exists opens that draft rather than making another; once it has been
    sent (or cancelled), the next one is a new campaign, "… invitation 2", for a second wave. A new
    draft is also written in every language the consultation is published in."""
    page = page.source_page  # invitations are the English page's, whichever language it was asked from
    # Lock the page so two clicks at once make one draft.
    ConsultationPage.objects.select_for_update().filter(pk=page.pk).first()
    draft = _invitations(page).filter(status=CampaignStatus.DRAFT).order_by("created_at").first()
    if draft is not None:
        return draft, False
    number = _invitations(page).count() + 1
    base = f"{page.title[:100]}: invitation"
    name = base if number == 1 else f"{base} {number}"
    while Campaign.objects.filter(name=name).exists():
        number += 1
        name = f"{base} {number}"
    campaign = messaging.draft_campaign(
        name=name,
        kind=CampaignKind.CONSULTATION_INVITATION,
        purpose=Purpose.CONSULTATIONS,
        title=page.title[:150],
        link_personaliser=personaliser_spec(page),
        audience_districts=list(page.districts.all()),
        created_by=user,
        translations=_campaign_translations(page, lambda shown: invitation_templates(page, shown)),
        **invitation_templates(page),
    )
    return campaign, True


# --- Registered with messaging (surveys/apps.py) ------------------------------------------------


# A fan-out asks for a link for every person: which translations are live is looked up once per page
# and kept in this process for a few seconds (as services.answerable_page keeps pages); saving any
# consultation page clears it here at once.
_translation_ids: dict[int, tuple[float, dict[str, int]]] = {}
TRANSLATION_IDS_SECONDS = 5


def translation_ids(page_id: int) -> dict[str, int]:
    """{language code: page id} of the consultation's live translations."""
    cached = _translation_ids.get(page_id)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    page = ConsultationPage.objects.filter(pk=page_id).only("translation_key").first()
    ids = {code: shown.pk for code, shown in live_translations(page).items()} if page else {}
    if len(_translation_ids) > 500:
        _translation_ids.clear()
    _translation_ids[page_id] = (time.monotonic() + TRANSLATION_IDS_SECONDS, ids)
    return ids


@receiver([post_save, post_delete], sender=ConsultationPage, dispatch_uid="surveys.invitations.ids")
def _forget_translation_ids(sender, **kwargs):
    _translation_ids.clear()


@receiver(page_unpublished, dispatch_uid="surveys.invitations.unpublished")
def _forget_unpublished(sender, **kwargs):
    _translation_ids.clear()


def invitation_link(page_id: str, contact_id: int, language: str | None = None) -> str:
    """The person's own link; for someone whose language (Contact.language as stored, "pl-PL")
    has a live translation of the consultation, a link that opens that translation."""
    opens = None
    if language:
        ids = translation_ids(int(page_id))
        code = best_match(language, list(ids))
        opens = ids.get(code) if code else None
    return services.invitation_url(int(page_id), contact_id, opens_page_id=opens)


def sample_invitation_link(page_id: str, contact_id: int, language: str | None = None) -> str:
    """A link exactly as long as this contact's own, whose signature is x's: it opens nothing."""
    token = services.invitation_token(int(page_id), contact_id)
    contact_part, _, signature = token.partition("-")
    link = invitation_link(page_id, contact_id, language)
    return link.replace(token, f"{contact_part}-{'x' * len(signature)}")


def closing_time(page_id: str):
    return ConsultationPage.objects.filter(pk=int(page_id)).values_list("closes_at", flat=True).first()


def not_answered_contact_ids(value: str):
    """The audience "consultation-not-answered:<page id>:<invitation campaign id>": people that
    invitation reached (not suppressed, not failed) who have not answered the consultation: no
    response under their invitation or linked to them, and no finished text conversation from them
    or their mobile, and no reminder for this consultation already. Evaluated when the reminder goes out."""
    page_id, _, campaign_id = value.partition(":")
    page_id, campaign_id = int(page_id), int(campaign_id)
    reached = (
        Message.objects.filter(campaign_id=campaign_id, contact__isnull=False)
        .exclude(status__in=[MessageStatus.SUPPRESSED, *FAILED_STATUSES])
        .values("contact_id")
    )
    key = Concat(Value(f"{page_id}:"), Cast(OuterRef("pk"), CharField()))
    answered = Response.objects.filter(consultation_id=page_id).filter(
        Q(invitation_key=key) | Q(contact_id=OuterRef("pk"))
    )
    texted = SmsConversation.objects.filter(
        consultation_id=page_id, status=ConversationStatus.COMPLETE
    ).filter(Q(contact_id=OuterRef("pk")) | Q(phone=Cast(OuterRef("mobile"), CharField())))
    # One reminder per person: someone invited in two waves is reminded by the first reminder only.
    reminded = (
        Message.objects.filter(
            campaign__kind=CampaignKind.REMINDER,
            campaign__link_personaliser=f"consultation:{page_id}",
            contact__isnull=False,
        )
        .exclude(status__in=[MessageStatus.SUPPRESSED, *FAILED_STATUSES])
        .values("contact_id")
    )
    not_answered = (
        Contact.objects.filter(pk__in=reached)
        .exclude(pk__in=reminded)
        .exclude(Exists(answered))
        .exclude(Exists(texted))
    )
    hashed = set(
        Response.objects.filter(
            consultation_id=page_id, invitation_key__startswith=services.anonymous_invitation_prefix(page_id)
        ).values_list("invitation_key", flat=True)
    )
    if hashed:
        # An anonymous consultation's responses keep only a keyed hash of the invitation: the
        # database cannot match it, so each person still to remind is checked here.
        candidates = not_answered.values_list("pk", flat=True).iterator()
        answered_anonymously = [
            pk for pk in candidates if services.invitation_key(page_id, pk, anonymous=True) in hashed
        ]
        not_answered = not_answered.exclude(pk__in=answered_anonymously)
    return not_answered.values("pk")


def schedule_reminder(page_id: str, campaign: Campaign) -> Campaign | None:
    """Follow-up run as an invitation starts: its one reminder, `reminder_days_before` the close."""
    if campaign.kind != CampaignKind.CONSULTATION_INVITATION or not campaign.reminder_days_before:
        return None
    page = ConsultationPage.objects.get(pk=int(page_id))
    by_text = answerable_by_text(page) and "YES" in campaign.sms_template.upper()
    # In the languages the invitation went out in, where the consultation is still published in them.
    invited_in = {t.language: t.title for t in campaign.translations.all()}
    translations = [
        {**fields, "title": invited_in[fields["language"]] or fields["title"]}
        for fields in _campaign_translations(
            page, lambda shown: reminder_templates(page, by_text=by_text, shown=shown)
        )
        if fields["language"] in invited_in
    ]
    return messaging.schedule_reminder(
        campaign,
        send_at=messaging.reminder_time(page.closes_at, campaign.reminder_days_before),
        audience_source=f"{NOT_ANSWERED}:{page.pk}:{campaign.pk}",
        translations=translations,
        **reminder_templates(page, by_text=by_text),
    )


@receiver(page_published, sender=ConsultationPage, dispatch_uid="surveys.invitations.reminders")
def _reminders_follow_the_closing_time(sender, instance, **kwargs):
    # A closing time brought forward must move the reminder now: found at its old time, it could be
    # too late to send at all.
    messaging.reschedule_reminders(personaliser_spec(instance))
