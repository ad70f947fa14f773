"""A campaign's wording in each language: the checks on a translation's wording, and which wording each
person gets (pure: the caller loads the campaign's translations once). See docs/languages.md,
"Messages in people's languages".

A person gets the translation in their language (Contact.language, matched with
`parentvoice.languages.best_match`, so "pl-PL" and "pl" both get "pl"), and the campaign's own wording,
in English, otherwise."""

import re
from dataclasses import dataclass

from django.conf import settings

from parentvoice.languages import best_match, language_name, primary

# The ((…)) a template may use; the fan-out fills them in for each person. Read exactly as
# sending.render fills them in: "(( link ))" is not ((link)), and would go out as it is, with no link.
PLACEHOLDERS = ("name", "title", "link")
PLACEHOLDER = re.compile(r"\(\(([^()]*)\)\)")

# (field, what an officer calls it), in the order the forms show them.
TRANSLATED_FIELDS = (
    ("sms_template", "text message"),
    ("email_subject", "email subject"),
    ("email_template", "email"),
)


def is_default_language(code: str) -> bool:
    """English, in whatever form it was stored ("en", "en-gb", "EN-GB")."""
    return primary(code) == primary(settings.LANGUAGE_CODE)


def translation_languages() -> list[tuple[str, str]]:
    """The languages a campaign may be translated into: settings.LANGUAGES but English, each named
    in its own language and in English ("Polski (Polish)"), so an officer can tell them apart."""
    from django.utils.translation import get_language_info

    choices = []
    for code, own_name in settings.LANGUAGES:
        if is_default_language(code):
            continue
        try:
            english = get_language_info(code)["name"]
        except KeyError:
            english = ""
        choices.append((code, f"{own_name} ({english})" if english and english != own_name else own_name))
    return choices


def placeholders(text: str) -> list[str]:
    """The ((…)) names in a template, in order, each once."""
    return list(dict.fromkeys(match.group(1) for match in PLACEHOLDER.finditer(text or "")))


def _listed(names) -> str:
    quoted = [f"(({name}))" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def wording_problems(english: str, translated: str, *, what: str, language: str) -> list[str]:
    """Why a translated template cannot go out beside the English one: a ((…)) nobody fills in, or
    not the same ((…)) as the English (a translation without ((link)) would send no link)."""
    name = language_name(language)
    found = placeholders(translated)
    unknown = [p for p in found if p not in PLACEHOLDERS]
    problems = []
    if unknown:
        problems.append(
            f"The {name} {what} uses {_listed(unknown)}: keep the words in double brackets in English, "
            f"as {_listed(PLACEHOLDERS)}."
        )
    wanted = [p for p in placeholders(english) if p in PLACEHOLDERS]
    missing = [p for p in wanted if p not in found]
    extra = [p for p in found if p in PLACEHOLDERS and p not in wanted]
    if missing:
        problems.append(
            f"The {name} {what} must use the same words in double brackets as the English: add {_listed(missing)}."
        )
    if extra:
        problems.append(
            f"The {name} {what} must use the same words in double brackets as the English: "
            f"take out {_listed(extra)}, or add it to the English too."
        )
    return problems


def translation_problems(campaign, translation) -> list[str]:
    """Why this translation cannot be sent with the campaign as it is now. Checked when it is saved
    and again before the campaign starts (the English or the channels may have changed since)."""
    name = language_name(translation.language)
    if translation.language not in dict(translation_languages()):
        return [f"{name} is not one of the languages we send messages in: remove it."]
    problems = []
    if campaign.send_sms and not translation.sms_template.strip():
        problems.append(f"Write the {name} text message, or remove {name}.")
    if campaign.send_email and not (translation.email_subject.strip() and translation.email_template.strip()):
        problems.append(f"Write the {name} email subject and message, or remove {name}.")
    for field, what in TRANSLATED_FIELDS:
        if getattr(translation, field).strip():
            problems += wording_problems(
                getattr(campaign, field),
                getattr(translation, field),
                what=what,
                language=translation.language,
            )
    return problems


@dataclass(frozen=True)
class Wording:
    """What one person is sent: `language` is the translation's code, or None for the English."""

    language: str | None
    title: str
    sms_template: str
    email_subject: str
    email_template: str


def english_wording(campaign) -> Wording:
    return Wording(
        None, campaign.title, campaign.sms_template, campaign.email_subject, campaign.email_template
    )


def translated_wording(campaign, translation) -> Wording:
    """A translation's wording; a part left empty (a title, or a channel the campaign does not send)
    is the English."""
    english = english_wording(campaign)
    return Wording(
        translation.language,
        translation.title.strip() or english.title,
        translation.sms_template if translation.sms_template.strip() else english.sms_template,
        translation.email_subject if translation.email_subject.strip() else english.email_subject,
        translation.email_template if translation.email_template.strip() else english.email_template,
    )


class WordingChooser:
    """Which wording each person gets, from a campaign and its translations loaded once. Matching is
    remembered per stored language, so a fan-out of any size matches each distinct value once."""

    def __init__(self, campaign, translations):
        self.english = english_wording(campaign)
        self.by_language = {
            t.language: translated_wording(campaign, t)
            for t in translations
            if not is_default_language(t.language)
        }
        self._matched: dict[str, Wording] = {}

    def language_for(self, contact_language: str) -> str | None:
        """The translation's code for someone who reads `contact_language`, or None (English)."""
        return self.for_contact(contact_language).language

    def for_contact(self, contact_language: str) -> Wording:
        key = contact_language or ""
        wording = self._matched.get(key)
        if wording is None:
            code = best_match(key, list(self.by_language)) if key else None
            wording = self.by_language[code] if code else self.english
            self._matched[key] = wording
        return wording

    def versions(self) -> list[Wording]:
        """English first, then each translation in the order of settings.LANGUAGES."""
        from parentvoice.languages import order

        return [self.english, *sorted(self.by_language.values(), key=lambda w: order(w.language))]
