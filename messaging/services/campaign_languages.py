"""A campaign's wording in other languages: added, changed and removed by an officer while the
campaign is a draft; locked, like the English, once it is confirmed."""

from django.db import transaction

from ..campaign_wording import translation_problems
from ..choices import CampaignStatus
from ..models import Campaign, CampaignTranslation
from .campaigns import CampaignError

__all__ = ["CampaignLanguageError", "remove_translation", "save_translation"]


class CampaignLanguageError(CampaignError):
    """A translation that cannot be saved: `problems` says why, one sentence each."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


LOCKED = "This campaign has been confirmed, so its wording can no longer be changed."


def _draft(campaign: Campaign) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.DRAFT:
        raise CampaignLanguageError([LOCKED])
    return campaign


@transaction.atomic
def save_translation(
    campaign: Campaign,
    language: str,
    *,
    title: str = "",
    sms_template: str = "",
    email_subject: str = "",
    email_template: str = "",
) -> CampaignTranslation:
    """Add or change a draft campaign's wording in `language`. Checked as the English is, and for the
    same ((…)) as the English; raises CampaignLanguageError with the problems, saving nothing."""
    campaign = _draft(campaign)
    translation = CampaignTranslation.objects.filter(campaign=campaign, language=language).first()
    translation = translation or CampaignTranslation(campaign=campaign, language=language)
    translation.title = title.strip()
    translation.sms_template = sms_template.strip()
    translation.email_subject = email_subject.strip()
    translation.email_template = email_template.strip()
    problems = translation_problems(campaign, translation)
    if problems:
        raise CampaignLanguageError(problems)
    translation.save()
    return translation


@transaction.atomic
def remove_translation(campaign: Campaign, language: str) -> bool:
    """Remove a draft campaign's wording in `language`: those people get the English. True if there
    was one."""
    campaign = _draft(campaign)
    deleted, _ = CampaignTranslation.objects.filter(campaign=campaign, language=language).delete()
    return bool(deleted)
