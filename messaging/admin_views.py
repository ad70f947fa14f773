"""Campaign sending, contact import and the phone simulator in the Wagtail admin. Thin: services do
the work."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from parentvoice.languages import is_rtl, language_name

from . import audiences, importing, services, simulator
from .admin_forms import AddCampaignLanguageForm, CampaignTranslationForm, ContactImportForm
from .admin_panels import sms_length_summary
from .campaign_wording import (
    WordingChooser,
    english_wording,
    translated_wording,
    translation_languages,
    translation_problems,
)
from .choices import CampaignStatus, ImportStatus, MessageStatus, ParentRole
from .models import Campaign, CampaignTranslation, ContactImport


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def campaign_send(request, pk):
    _require(request, "messaging.change_campaign")
    campaign = get_object_or_404(Campaign, pk=pk)
    if request.method == "POST":
        try:
            services.start_campaign(campaign, request.user)
        except services.CampaignError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"'{campaign}' is being sent.")
            return redirect("messaging_campaign_progress", pk=campaign.pk)
    is_draft = campaign.status == CampaignStatus.DRAFT
    # Each language's version as it will go, with how many people get it (a fixed number of queries
    # however many languages or people: see services.language_versions).
    versions = services.language_versions(campaign) if is_draft else _versions_without_counts(campaign)
    previews = [_preview(campaign, version) for version in versions]
    english = previews[0]
    send_at = campaign.send_at
    if is_draft and campaign.kind in services.KINDS_IN_SENDING_HOURS:
        send_at = services.within_sending_hours(max(send_at or timezone.now(), timezone.now()))
    reminder_at = None
    if campaign.reminder_days_before:
        deadline = audiences.link_deadline(campaign.link_personaliser)
        reminder_at = services.reminder_time(deadline, campaign.reminder_days_before) if deadline else None
    return TemplateResponse(
        request,
        "messaging/admin/campaign_send.html",
        {
            "campaign": campaign,
            "problems": services.campaign_problems(campaign),
            "audience_size": sum(v.people for v in versions) if is_draft else None,
            "audience_list": audiences.describe_audience(campaign.audience_source),
            "districts": list(campaign.audience_districts.values_list("name", flat=True)),
            "roles": [ParentRole(r).label for r in campaign.audience_roles if r in ParentRole.values],
            "sms_text": english["sms_text"],
            "sms_info": english["sms_info"],
            "personal_link": bool(campaign.link_personaliser),
            "email_subject": english["email_subject"],
            "email_text": english["email_text"],
            "previews": previews,
            "translated": len(previews) > 1,
            "is_draft": is_draft,
            "send_at": send_at,
            "send_now": send_at is None or send_at <= timezone.now(),
            "reminder_at": reminder_at,
        },
    )


def _versions_without_counts(campaign):
    chooser = WordingChooser(campaign, list(campaign.translations.all()))
    return [services.LanguageVersion(wording, 0, None) for wording in chooser.versions()]


def _preview(campaign, version) -> dict:
    """One language's text and email as a person will get them (with a sample link as long as the
    longest real one), and the text's encoding and segment count."""
    wording = version.wording
    values = services.preview_values(campaign, wording=wording, longest=version.longest)
    sms_text, sms_info = ("", None)
    if campaign.send_sms:
        sms_text, sms_info = sms_length_summary(wording.sms_template, values, language=wording.language)
    return {
        "language": version.language,
        "name": version.name,
        "english": wording.language is None,
        "rtl": is_rtl(version.language),
        "people": version.people,
        "sms_text": sms_text,
        "sms_info": sms_info,
        "email_subject": services.render(wording.email_subject, values),
        "email_text": services.render(wording.email_template, values),
    }


# --- A campaign's wording in other languages ---------------------------------------------------


def _draft_or_progress(request, campaign):
    """Only a draft's wording can change; a confirmed campaign's languages page shows what was sent."""
    if campaign.status == CampaignStatus.DRAFT:
        return None
    messages.error(request, "This campaign has been confirmed, so its wording can no longer be changed.")
    return redirect("messaging_campaign_languages", pk=campaign.pk)


def campaign_languages(request, pk):
    _require(request, "messaging.view_campaign")
    campaign = get_object_or_404(Campaign, pk=pk)
    translations = list(campaign.translations.all())
    is_draft = campaign.status == CampaignStatus.DRAFT
    can_change = is_draft and request.user.has_perm("messaging.change_campaign")
    add_form = AddCampaignLanguageForm(request.GET or None, taken=[t.language for t in translations])
    if can_change and add_form.is_valid():
        return redirect("messaging_campaign_language", pk=pk, language=add_form.cleaned_data["language"])
    return TemplateResponse(
        request,
        "messaging/admin/campaign_languages.html",
        {
            "campaign": campaign,
            "english": english_wording(campaign),
            "translations": [
                {
                    "translation": t,
                    "name": language_name(t.language),
                    "rtl": is_rtl(t.language),
                    "problems": translation_problems(campaign, t),
                }
                for t in translations
            ],
            "add_form": add_form if can_change and add_form.fields["language"].choices else None,
            "can_change": can_change,
            "is_draft": is_draft,
        },
    )


def campaign_language(request, pk, language):
    """Add or change a draft campaign's wording in one language."""
    _require(request, "messaging.change_campaign")
    campaign = get_object_or_404(Campaign, pk=pk)
    if language not in dict(translation_languages()):
        raise Http404("We do not send messages in that language")
    locked = _draft_or_progress(request, campaign)
    if locked:
        return locked
    translation = CampaignTranslation.objects.filter(campaign=campaign, language=language).first()
    form = CampaignTranslationForm(request.POST or None, instance=translation)
    for field in form.fields.values():
        field.widget.attrs["lang"] = language
    if request.method == "POST" and form.is_valid():
        try:
            services.save_translation(campaign, language, **form.cleaned_data)
        except services.CampaignLanguageError as error:
            for problem in error.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, f"The {language_name(language)} wording was saved.")
            return redirect("messaging_campaign_languages", pk=campaign.pk)
    preview = None
    if translation is not None and campaign.send_sms and translation.sms_template.strip():
        values = services.preview_values(campaign, wording=translated_wording(campaign, translation))
        text, info = sms_length_summary(translation.sms_template, values, language=language)
        preview = {"text": text, "info": info}
    return TemplateResponse(
        request,
        "messaging/admin/campaign_language.html",
        {
            "campaign": campaign,
            "form": form,
            "language": language,
            "name": language_name(language),
            "rtl": is_rtl(language),
            "english": english_wording(campaign),
            "is_new": translation is None,
            "preview": preview,
        },
    )


def campaign_language_remove(request, pk, language):
    _require(request, "messaging.change_campaign")
    campaign = get_object_or_404(Campaign, pk=pk)
    locked = _draft_or_progress(request, campaign)
    if locked:
        return locked
    if request.method == "POST":
        try:
            removed = services.remove_translation(campaign, language)
        except services.CampaignLanguageError as error:
            messages.error(request, str(error))
        else:
            if removed:
                messages.success(
                    request,
                    f"The {language_name(language)} wording was removed: those people will get the English.",
                )
    return redirect("messaging_campaign_languages", pk=campaign.pk)


def campaign_progress(request, pk):
    _require(request, "messaging.view_campaign")
    campaign = get_object_or_404(Campaign, pk=pk)
    counts = services.campaign_counts(campaign)
    total = sum(counts.values())
    rows = [
        {"status": MessageStatus(status).label, "count": n, "percent": round(100 * n / total) if total else 0}
        for status, n in counts.items()
    ]
    still_going = campaign.status in {CampaignStatus.PREPARING, CampaignStatus.SENDING}
    done = total - counts[MessageStatus.CREATED] - counts[MessageStatus.SENDING]
    return TemplateResponse(
        request,
        "messaging/admin/campaign_progress.html",
        {
            "campaign": campaign,
            "rows": rows,
            "total": total,
            "done": done,
            "still_going": still_going,
            "unconfirmed": services.unconfirmed_messages(campaign).count(),
            "messages_url": reverse("wagtailsnippets_messaging_message:list") + f"?campaign={campaign.pk}",
        },
    )


def campaign_cancel(request, pk):
    _require(request, "messaging.change_campaign")
    campaign = get_object_or_404(Campaign, pk=pk)
    if request.method == "POST":
        services.cancel_campaign(campaign)
        messages.success(request, f"'{campaign}' was cancelled. Messages not yet sent will not be sent.")
    return redirect("messaging_campaign_progress", pk=campaign.pk)


def import_upload(request):
    _require(request, "messaging.add_contactimport")
    form = ContactImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact_import = importing.preview_import(
                form.cleaned_data["file"],
                purposes=form.cleaned_data["purposes"],
                wording=form.cleaned_data["consent_wording"],
                user=request.user,
            )
        except importing.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("messaging_import_detail", pk=contact_import.pk)
    return TemplateResponse(request, "messaging/admin/import_upload.html", {"form": form})


def import_detail(request, pk):
    _require(request, "messaging.view_contactimport")
    contact_import = get_object_or_404(ContactImport, pk=pk)
    if request.method == "POST" and contact_import.status == ImportStatus.PREVIEWED:
        _require(request, "messaging.add_contactimport")
        importing.start_import(contact_import)
        return redirect("messaging_import_detail", pk=pk)
    return TemplateResponse(
        request,
        "messaging/admin/import_detail.html",
        {
            "contact_import": contact_import,
            "errors": contact_import.row_errors[:100],
            "running": contact_import.status == ImportStatus.RUNNING,
        },
    )


def phone_simulator(request):
    """Play a parent texting the service (demo and staging only)."""
    if not settings.SMS_SIMULATOR_ENABLED:
        raise Http404("The phone simulator is switched off")
    _require(request, simulator.PERMISSION)
    phone = request.GET.get("phone") or simulator.DEFAULT_PHONE
    error = ""
    if request.method == "POST":
        body = request.POST.get("body", "").strip()
        try:
            phone = simulator.normalise_phone(request.POST.get("phone", ""))
            simulator.check_phone_allowed(phone)
            if not body:
                raise simulator.SimulatorError("Enter the text to send")
            delivery = simulator.send_text(phone, body)
        except simulator.SimulatorError as problem:
            error = str(problem)
        else:
            request.session["phone-simulator-last"] = {"status": delivery.status, "twiml": delivery.twiml}
            return redirect(f"{reverse('messaging_phone_simulator')}?{urlencode({'phone': phone})}")
    try:
        simulator.check_phone_allowed(phone)
    except simulator.SimulatorError as problem:
        error, thread = error or str(problem), []
    else:
        thread = simulator.thread(phone)
    return TemplateResponse(
        request,
        "messaging/admin/phone_simulator.html",
        {
            "phone": phone,
            "error": error,
            "body": request.POST.get("body", "") if error else "",
            "thread": thread,
            "last": request.session.get("phone-simulator-last"),
        },
    )
