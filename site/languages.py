"""The languages pages and messages are offered in (docs/languages.md).

Pages are translated with Wagtail's own locales: each translation is a page in its locale's tree, and
people reach it under the language's code (/pl/...). Nothing here reads the browser's preferred
language: an address always gives the same page, and a person chooses with the language switcher."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import translation


@dataclass(frozen=True)
class Alternate:
    code: str
    name: str  # in the language itself, e.g. "Polski"
    url: str
    current: bool
    rtl: bool


def language_name(code: str) -> str:
    """A language's own name for itself from settings.LANGUAGES ("Polski"), or the code if unknown."""
    names = dict(settings.LANGUAGES)
    return names.get(code) or names.get(primary(code)) or code


def primary(code: str) -> str:
    """ "en-gb" -> "en": contacts imported as "en" or "pl-PL" still match a page in "en-gb" or "pl"."""
    return (code or "").split("-")[0].split("_")[0].lower()


def is_rtl(code: str) -> bool:
    try:
        return bool(translation.get_language_info(code)["bidi"])
    except KeyError:
        return False


def order(code: str) -> int:
    codes = [c for c, _ in settings.LANGUAGES]
    return codes.index(code) if code in codes else len(codes)


def best_match(wanted: str, available: list[str]) -> str | None:
    """The code in `available` for someone who reads `wanted`: the exact code, else the same language
    ("pl-PL" -> "pl"), else None (they get the default language)."""
    wanted_lower = (wanted or "").lower()
    lowered = {code.lower(): code for code in available}
    if wanted_lower in lowered:
        return lowered[wanted_lower]
    for code in available:
        if primary(code) == primary(wanted_lower):
            return code
    return None


def language_choices() -> list[tuple[str, str]]:
    """For forms asking which language someone reads: each name in its own language."""
    return list(settings.LANGUAGES)


def page_alternates(page, request=None) -> list[Alternate]:
    """The page in every language it is published in (in settings.LANGUAGES' order, this one marked
    current); [] when there is only one. Aliases (a language's copy of a page nobody has translated yet) are left out: they show
    the original's words, so offering them as another language would mislead."""
    if page is None or not getattr(page, "pk", None) or not getattr(page, "translation_key", None):
        return []
    from wagtail.models import Page

    # Most pages have no translation: one query answers that, and only then are addresses worked out.
    group = list(
        Page.objects.live()
        .filter(translation_key=page.translation_key, alias_of__isnull=True)
        .select_related("locale")
    )
    if len(group) < 2:
        return []
    public_ids = set(Page.objects.filter(pk__in=[p.pk for p in group]).public().values_list("pk", flat=True))
    alternates = []
    for member in group:
        url = member.get_url(request) if member.pk in public_ids else None
        if url:
            code = member.locale.language_code
            alternates.append(Alternate(code, language_name(code), url, member.pk == page.pk, is_rtl(code)))
    if len(alternates) < 2 or not any(alternate.current for alternate in alternates):
        return []
    return sorted(alternates, key=lambda alternate: order(alternate.code))


# --- Serving a page in its own language ---------------------------------------------------------


def locale_id(code: str) -> int | None:
    """The id of the Wagtail locale for `code`, or None when nobody has translated anything into it.
    Asked for every page served; an id never changes for a code (Wagtail refuses to delete a locale
    that has pages), so found ids are kept in the cache. A miss is asked again next time: the locale
    is made when the first page is translated."""
    key = f"parentvoice:locale-id:{code}"
    found = cache.get(key)
    if found is None:
        from wagtail.models import Locale

        found = Locale.objects.filter(language_code=code).values_list("pk", flat=True).first()
        if found is not None:
            cache.set(key, found, 3600)
    return found


def served_in_another_language(page) -> bool:
    """True when `page` was reached under another language's address. Wagtail falls back to the
    English pages when a language has no home page of its own (/ro/... with nothing in Romanian, or
    /pl/... while the Polish home page is a draft): every English page would then have six more
    addresses, each marked as the wrong language."""
    return page.locale_id != locale_id(translation.get_language())


def english_version_withdrawn(page) -> bool:
    """A translation whose English page is not live: unpublishing the English withdraws it in every
    language (a consultation's answers, dates and results are its English page's)."""
    from wagtail.models import Page

    default = locale_id(settings.LANGUAGE_CODE)
    if page.locale_id == default:
        return False
    return Page.objects.filter(translation_key=page.translation_key, locale_id=default, live=False).exists()


def english_view_restrictions(page):
    """The view restrictions on the English versions of `page` and of the pages above it. A
    translation is as private as what it translates, as Wagtail makes an alias as private as its
    original: a password on an English consultation, or a login on an English section, must not be
    walked round at /pl/... . None for a page in English (Wagtail checks its own restrictions)."""
    from wagtail.models import PageViewRestriction

    default = locale_id(settings.LANGUAGE_CODE)
    if page.locale_id == default:
        return None
    keys = page.get_ancestors(inclusive=True).values("translation_key")
    return PageViewRestriction.objects.filter(page__translation_key__in=keys, page__locale_id=default)


# --- One page across languages ---------------------------------------------------------------------


def default_locale_id() -> int | None:
    return locale_id(settings.LANGUAGE_CODE)


def source_of(page):
    """The page in the site's default language that `page` translates (same translation key, same
    model), or `page` itself when it is in the default language or translates nothing. Whatever is
    kept about a page (bookings, members, answers) belongs to this one, so every language shares it."""
    default = default_locale_id()
    if page is None or page.locale_id == default or not page.translation_key or default is None:
        return page
    source = (
        type(page)
        ._default_manager.filter(translation_key=page.translation_key, locale_id=default)
        .order_by("pk")
        .first()
    )
    return source or page


def in_language(pages, code: str | None = None, *, related: tuple[str, ...] = ()) -> list:
    """Each of `pages` (default-language pages, e.g. one page of a listing) as its live, public
    translation into `code` (default: the active language) where there is one, else as it is. A
    swapped page's `source_page` is set to the page it replaces, so callers can still reach what is
    kept on it. One query per model listed (none in the default language), so a list's query count
    does not grow with its length. `related` is passed to select_related for the translations."""
    pages = list(pages)
    wanted = locale_id(code or translation.get_language())
    if not pages or wanted is None or wanted == default_locale_id():
        return pages
    by_model: dict[type, list] = {}
    for page in pages:
        if page.translation_key and page.locale_id != wanted:
            by_model.setdefault(type(page), []).append(page)
    swapped = {}
    for model, group in by_model.items():
        translations = (
            model._default_manager.live()
            .public()
            .filter(locale_id=wanted, translation_key__in=[page.translation_key for page in group])
            .select_related(*related)
        )
        found = {translated.translation_key: translated for translated in translations}
        for page in group:
            translated = found.get(page.translation_key)
            if translated is not None:
                translated.source_page = page
                swapped[page.pk] = translated
    return [swapped.get(page.pk, page) for page in pages]


def respond_in_language(request, code: str, view, *args, **kwargs):
    """Run `view` and render its response in `code`: views outside the language prefixes (a form
    reached from a translated page, /fora/events/<id>/book/) run in the default language unless they
    ask. Redirects and errors pass through. (surveys.views._in_language does the same for answering.)"""
    with translation.override(code):
        request.LANGUAGE_CODE = code
        response = view(*args, **kwargs)
        if getattr(response, "is_rendered", True) is False:
            response.render()
    response.headers["Content-Language"] = code  # LocaleMiddleware keeps one set earlier
    return response
