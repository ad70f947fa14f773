"""A consultation in several languages is one consultation (docs/languages.md).

A translation is a page of its own (Wagtail's locales), but everything that decides who may answer,
when, and what the answers mean comes from the English page it translates (`page.source_page`): its
opening and closing times, anonymity, the 'About you' and equality questions, whether its results are
published, its districts, and the structure of its questions (ids, order, types, codes, choice keys).
A translator translates the wording only. Answers in every language are stored against the English
page, with the language they were given in, so there is one result set."""

from __future__ import annotations

import copy
import functools
import logging

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from parentvoice import languages
from parentvoice.languages import Alternate, is_rtl, language_name, order, primary

from .models import ConsultationPage

logger = logging.getLogger(__name__)

# Settings a translation takes from the English page, whatever its editor says.
SHARED_SETTINGS = (
    "opens_at",
    "closes_at",
    "anonymity",
    "ask_about_you",
    "ask_equality",
    "results_published",
)
# What a translator may change in a question (or a section heading): everything else is the English page's.
WORDING = ("label", "hint", "low_label", "high_label", "heading", "text")

STRUCTURE_PROBLEM = (
    "A translation keeps the English page's questions: translate the wording only. Add, remove or "
    "reorder questions, or change their type, codes or choice keys, on the English page. If the English "
    "questions have changed since this translation was made, open this translation's latest draft: it "
    "has the new questions in English, ready to translate."
)


@functools.lru_cache(maxsize=64)
def english_name(code: str) -> str:
    """A language's name in English ("Polish") for officers' screens and exports, or the code."""
    for candidate in (primary(code), code):
        try:
            return translation.get_language_info(candidate)["name"]
        except KeyError:
            continue
    return code or ""


def english_pages(pages):
    """`pages` without the translations of English pages: one page per consultation, the one its
    answers, results, write-ups and reminders belong to. Lists of consultations (open data, the
    officers' dashboard and reports) use it, or each translation would be listed again, with none of
    the answers."""
    default = languages.default_locale_id()
    english = ConsultationPage.objects.filter(locale_id=default).values("translation_key")
    return pages.exclude(Q(translation_key__in=english) & ~Q(locale_id=default))


def shown_with_english(pages):
    """`pages` without translations whose English page is unpublished or private: those are not
    served or answerable (parentvoice.wagtail_hooks, services.answerable_page), so not listed either."""
    hidden = (
        ConsultationPage.objects.filter(locale_id=languages.default_locale_id())
        .exclude(pk__in=ConsultationPage.objects.live().public().values("pk"))
        .values("translation_key")
    )
    return pages.exclude(translation_key__in=hidden)


# --- Settings from the English page ---------------------------------------------------------------


def follow_source(page: ConsultationPage) -> None:
    """Copy the English page's settings onto a translation being saved (in memory)."""
    source = page.source_page
    if source.pk == page.pk:
        return
    for name in SHARED_SETTINGS:
        setattr(page, name, getattr(source, name))
    page.districts = list(source.districts.all())


def translations_of(page: ConsultationPage):
    return ConsultationPage.objects.filter(translation_key=page.translation_key).exclude(pk=page.pk)


def push_to_translations(source: ConsultationPage) -> list[int]:
    """After the English page is saved: its translations take its settings at once (so closing the
    English closes them all), and a translation whose questions no longer match gets a new draft with
    the English structure and its own wording kept. Returns the translations' ids."""
    from . import services

    others = translations_of(source)
    ids = list(others.values_list("pk", flat=True))
    if not ids:
        return []
    others.update(**{name: getattr(source, name) for name in SHARED_SETTINGS})
    through = ConsultationPage.districts.through
    district_ids = [district.pk for district in source.districts.all()]
    through.objects.filter(consultationpage_id__in=ids).delete()
    through.objects.bulk_create(
        through(consultationpage_id=page_id, district_id=district_id)
        for page_id in ids
        for district_id in district_ids
    )
    for page_id in ids:
        services.forget_page(page_id)
    for other in ConsultationPage.objects.filter(pk__in=ids):
        _refresh_draft(source, other)
    return ids


def _prepped(stream_value) -> list[dict]:
    # A copy: the stream's raw data may be the page's own, which the caller must not change.
    return copy.deepcopy(list(stream_value.get_prep_value()))


def _choice(item: dict) -> dict:
    # A ListBlock item is {"type": "item", "value": {...}, "id": ...}; older data is the value itself.
    return item["value"] if isinstance(item, dict) and "value" in item and "type" in item else item


def merged_questions(source_raw: list[dict], translated_raw: list[dict]) -> list[dict]:
    """The English questions (structure, rules, codes, keys) with the translation's wording wherever
    the translation has the same block (same id and type); anything new is in English."""
    theirs = {block.get("id"): block for block in translated_raw}
    merged = []
    for block in source_raw:
        ours = copy.deepcopy(block)
        other = theirs.get(block.get("id"))
        if other is not None and other.get("type") == block.get("type"):
            value, other_value = ours["value"], other.get("value") or {}
            for name in WORDING:
                if name in value and name in other_value:
                    value[name] = other_value[name]
            if "choices" in value:
                labels = {
                    _choice(item).get("key"): _choice(item).get("label")
                    for item in other_value.get("choices") or []
                }
                for item in value["choices"]:
                    choice = _choice(item)
                    if labels.get(choice.get("key")):
                        choice["label"] = labels[choice["key"]]
        merged.append(ours)
    return merged


def align_questions(page: ConsultationPage) -> str | None:
    """For a translation being saved: STRUCTURE_PROBLEM if its questions' structure is not the English
    page's; else None, with everything but the wording (required, 'Only ask if', limits) made the
    English page's."""
    from .services import question_structure

    source = page.source_page
    if source.pk == page.pk:
        return None
    if question_structure(page.questions) != question_structure(source.questions):
        return STRUCTURE_PROBLEM
    page.questions = merged_questions(_prepped(source.questions), _prepped(page.questions))
    return None


def _refresh_draft(source: ConsultationPage, page: ConsultationPage) -> None:
    """Give an out-of-date translation a draft with the English questions and its own wording kept,
    for the translator to finish and publish. Its live version stays as it is (not answerable)."""
    from .services import question_structure

    latest = page.get_latest_revision_as_object()
    wanted = question_structure(source.questions)
    if question_structure(latest.questions) == wanted:
        return
    latest.questions = merged_questions(_prepped(source.questions), _prepped(latest.questions))
    follow_source(latest)
    try:
        with transaction.atomic():
            latest.save_revision(log_action=True)
    except Exception:
        # Saving the English page must not fail because a translation's draft could not be made.
        logger.exception("Could not refresh the questions of translation %s", page.pk)


# --- Out of date ------------------------------------------------------------------------------------

_structure_cache: dict = {}


def _structure(page: ConsultationPage, use_cache: bool):
    from .services import question_structure

    # Parsing the questions is the costly part: kept per saved version, as services.schema_for does.
    key = (page.pk, page.latest_revision_id, page.last_published_at, page.live)
    structure = _structure_cache.get(key) if use_cache else None
    if structure is None:
        structure = question_structure(page.questions)
        if use_cache:
            if len(_structure_cache) > 500:
                _structure_cache.clear()
            _structure_cache[key] = structure
    return structure


def is_out_of_date(page: ConsultationPage, *, use_cache: bool = True) -> bool:
    """A translation whose questions no longer match the English page's (its questions changed after
    the translation was made, before anyone answered): not answerable until it is updated. An
    editor's preview (a draft's content under the live page's key) must pass use_cache=False."""
    if not page.pk:
        return False
    source = page.source_page
    if source.pk == page.pk:
        return False
    return _structure(page, use_cache) != _structure(source, True)


# --- The same step in other languages -----------------------------------------------------------------


def step_alternates(page: ConsultationPage, name: str, *args) -> list[Alternate]:
    """The answering page `name` (e.g. "question", <id>) of this consultation in each language it can
    be answered in, this one marked current; [] when there is only one. One query."""
    if not page.pk or not page.translation_key:
        return []
    pages = (
        ConsultationPage.objects.live()
        .public()
        .filter(translation_key=page.translation_key, alias_of__isnull=True)
        .select_related("locale")
    )
    alternates = []
    for other in pages:
        if other.pk != page.pk and is_out_of_date(_with_source(other, page)):
            continue
        code = other.locale.language_code
        url = reverse(f"surveys:{name}", args=[other.pk, *args])
        alternates.append(Alternate(code, language_name(code), url, other.pk == page.pk, is_rtl(code)))
    if len(alternates) < 2:
        return []
    return sorted(alternates, key=lambda alternate: order(alternate.code))


def _with_source(other: ConsultationPage, page: ConsultationPage) -> ConsultationPage:
    # Every page of a translation key shares one English page: reuse the one already looked up.
    other.__dict__["source_page"] = page.source_page if page.source_page.pk != other.pk else other
    return other
