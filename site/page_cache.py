"""Public pages from a cache (docs/deployment.md#public-pages-from-a-cache).

An anonymous visitor's GET of a live Wagtail page (home, consultations and their results, fora, What's
on, the log, decisions, the action plan) is answered from the `pages` cache once one visitor has been
served it. What is stored is exactly what a visitor with no cookies was sent, so only pages that are
the same for every such visitor are kept:

- never for a request carrying any cookie but the CSRF one (a session: signed in, answering, a page
  password passed, messages waiting), nor for a query string with a parameter not listed in
  PAGE_CACHE_QUERY_PARAMS (the filters and page numbers of the public lists);
- never a response that used the CSRF token (a form), set a cookie, used a CSP nonce, said
  `Cache-Control: private/no-store/no-cache` (token pages), was not a 200, or came from anything but
  Wagtail's page view (previews, the admin, the answering and token views are Django views of their own);
- never a page with view restrictions (private or password pages), whoever asks.

The key is the scheme, host, path and the sorted, allowed query: the language is in the path (/pl/...),
and Accept-Language is never read for pages. Purging is one generation for the whole cache: any change
to something a public page may show (a page published, unpublished, moved or deleted; a snippet, setting,
decision, event, booking, District ... saved or deleted) starts a new generation at once and again when
its transaction commits, so a page rendered from data read before the commit is not kept either. Entries
of older generations are never read again and expire. Each entry also expires at the next time a page
changes by the clock alone (a consultation opening or closing, an event starting or ending, midnight),
and after PAGE_CACHE_SECONDS in any case: answers sent on the web or by text while a consultation is
open, which would otherwise start a new generation each, show on a published results page within that.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import Site

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
GENERATION_KEY = "generation"
PAGE_URL_NAME = "wagtail_serve"
MAX_QUERY_LENGTH = 256
MAX_BODY_BYTES = 1_000_000
HEADER = "X-Cache"

# Models no public page shows and that change often (sessions, queues, messages, logs, renditions made
# while a page renders ...): saving them leaves the cache alone. Anything not named here purges it, so a
# model added later errs on the safe side.
QUIET_APPS = {
    "sessions",
    "admin",
    "contenttypes",
    "auth",
    "account",
    "mfa",
    "accounts",
    "django_tasks_db",
    "messaging",
    "wagtailadmin",
    "wagtailusers",
    "wagtailsearch",
    "wagtailembeds",
}
QUIET_MODELS = {
    "wagtailcore.revision",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.referenceindex",
    "wagtailcore.workflowstate",
    "wagtailcore.taskstate",
    "wagtailcore.pagesubscription",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailcore.uploadedfile",
    "wagtailimages.rendition",
    "surveys.tally",
    "surveys.smsconversation",
    "surveys.smsturn",
    "surveys.resumelink",
    "forums.parentpagelink",
    "feedback_loop.outcomenotice",
}
# Web and text answers arrive all the time while a consultation is open: they are left to the entries'
# lifetime (PAGE_CACHE_SECONDS). Paper entries, corrections and deletions (erasure) purge.
LIVE_ANSWER_CHANNELS = {"web", "sms"}

# When pages change by the clock alone: an entry never outlives the next of these.
CLOCK_FIELDS = [
    ("surveys.ConsultationPage", "opens_at"),
    ("surveys.ConsultationPage", "closes_at"),
    ("forums.EventPage", "start"),
    ("forums.EventPage", "end"),
]


def _cache():
    return caches[CACHE_ALIAS]


def _new_generation() -> str:
    return uuid.uuid4().hex


# --- Purging ---------------------------------------------------------------------------------------


def purge() -> None:
    """Start a new generation: every page stored so far is never served again. A cache that cannot be
    reached must not fail the save that asked (a booking, a publish): it is logged, and its entries
    expire within PAGE_CACHE_SECONDS anyway."""
    if not settings.PAGE_CACHE_ENABLED:
        return  # nothing is served from it (the demo, tests), so nothing to purge
    try:
        _cache().set(GENERATION_KEY, _new_generation(), timeout=None)
    except Exception:
        logger.exception("Could not purge the page cache")


def _purge_after_commit() -> None:
    purge()


def changed(using: str | None = None) -> None:
    """Something a public page may show has changed: purge now (so the change shows at once, and in
    tests, which never commit) and again when the transaction commits (a page rendered meanwhile from
    what was there before may have been stored under the new generation)."""
    if not settings.PAGE_CACHE_ENABLED:
        return  # nothing is served from it, so nothing to purge now or on commit
    purge()
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and not any(
        func is _purge_after_commit for _sids, func, _robust in connection.run_on_commit
    ):
        transaction.on_commit(_purge_after_commit, using=using, robust=True)


def _as_if_absent(instance) -> bool:
    """Is this a settings row just created with nothing but its defaults? Wagtail creates a site's
    settings that way the first time a page reads them, and that page showed the same defaults: a new
    site's first visit must not purge the very page it is storing."""
    return all(
        getattr(instance, field.attname) == field.get_default()
        for field in instance._meta.concrete_fields
        if not (field.primary_key or field.is_relation and field.related_model is Site)
    )


def _quiet(sender, instance=None, created=False, signal=None) -> bool:
    meta = sender._meta
    if meta.app_label in QUIET_APPS or meta.label_lower in QUIET_MODELS:
        return True
    if created and isinstance(instance, BaseSiteSetting | BaseGenericSetting):
        return _as_if_absent(instance)
    if meta.label_lower == "surveys.response" and signal is post_save:
        return instance.channel in LIVE_ANSWER_CHANNELS
    if meta.label_lower == "surveys.answer":
        # New answers arrive with their response (above); answers are deleted only with their response
        # or consultation, whose deletion purges, so a million of them need not write the cache each.
        return created if signal is post_save else signal is post_delete
    return False


def _on_save(sender, instance, created=False, using=None, raw=False, signal=None, **kwargs):
    if raw or _quiet(sender, instance, created, signal):
        return
    changed(using)


def _on_delete(sender, instance, using=None, signal=None, **kwargs):
    if not _quiet(sender, instance, signal=signal):
        changed(using)


def _on_m2m(sender, instance, action, using=None, **kwargs):
    if action.startswith("post_") and not _quiet(type(instance)):
        changed(using)


def _on_page_event(sender, **kwargs):
    changed()


def connect_signals() -> None:
    """Called from the app's ready(): saves and many-to-many changes of any model, deletes of any model
    that is not quiet, plus Wagtail's publish, unpublish and move (which also save, but say it outright)."""
    from wagtail.signals import page_published, page_unpublished, post_page_move

    post_save.connect(_on_save, dispatch_uid="page_cache_save")
    # Deletes per model, and only of what public pages show: a post_delete receiver for every sender
    # would stop Django deleting any model with one DELETE (a model with receivers has its rows loaded
    # and deleted one by one), so clearing sessions, pruning tasks and retention would load every row.
    for model in apps.get_models(include_auto_created=True):
        if not _quiet(model, signal=post_delete):
            post_delete.connect(
                _on_delete, sender=model, dispatch_uid=f"page_cache_delete:{model._meta.label}"
            )
    m2m_changed.connect(_on_m2m, dispatch_uid="page_cache_m2m")
    page_published.connect(_on_page_event, dispatch_uid="page_cache_published")
    page_unpublished.connect(_on_page_event, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(_on_page_event, dispatch_uid="page_cache_moved")


# --- Refusing a page -------------------------------------------------------------------------------


def refuse(request: HttpRequest) -> None:
    """This request's response must not be stored (a view that knows better than the rules above)."""
    request.page_cache_refused = True


def refuse_restricted_pages(page, request, serve_args, serve_kwargs):
    """Wagtail's before_serve_page hook: a private or password page is never stored, whoever asks (an
    anonymous visitor only ever gets its sign-in redirect or password form, but say so outright)."""
    if settings.PAGE_CACHE_ENABLED and page.get_view_restrictions().exists():
        refuse(request)


# --- The clock ---------------------------------------------------------------------------------------


def seconds_until_next_change(now: dt.datetime | None = None) -> float:
    """Seconds until a page may change by the clock alone: the next opening or closing of a consultation,
    start or end of an event, or midnight UK time (pages say 'today', 'overdue', 'upcoming')."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    midnight = timezone.make_aware(dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time()))
    moments = [midnight]
    for label, field in CLOCK_FIELDS:
        model = apps.get_model(label)
        moment = (
            model.objects.filter(**{f"{field}__gt": now})
            .order_by(field)
            .values_list(field, flat=True)
            .first()
        )
        if moment is not None:
            moments.append(moment)
    return (min(moments) - now).total_seconds()


# --- Serving -------------------------------------------------------------------------------------------


def _cookieless(request: HttpRequest) -> bool:
    # The CSRF cookie alone changes nothing on a page that has no form, and only those are stored.
    return all(name == settings.CSRF_COOKIE_NAME for name in request.COOKIES)


def _query(request: HttpRequest) -> str | None:
    """The query string as part of the key (sorted), or None if it holds a parameter we do not know."""
    raw = request.META.get("QUERY_STRING", "")
    if not raw:
        return ""
    if len(raw) > MAX_QUERY_LENGTH:
        return None
    allowed = settings.PAGE_CACHE_QUERY_PARAMS
    pairs = sorted((name, value) for name, values in request.GET.lists() for value in values)
    if any(name not in allowed for name, _value in pairs):
        return None
    return urlencode(pairs)


def _key(request: HttpRequest, query: str) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return hashlib.sha256(address.encode()).hexdigest()


def _entry_key(generation: str, key: str) -> str:
    return f"{generation}:{key}"


def _is_page_path(path: str) -> bool:
    """Would this address reach Wagtail's page view? Every address the other routes do not take does:
    the answering, token, account and admin views are never looked up."""
    # In the default language, whatever this thread served last: its empty prefix lets Wagtail's
    # catch-all take /pl/... too, which is all this asks.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            return resolve(path).url_name == PAGE_URL_NAME
        except Resolver404:
            return False


def _storable(request: HttpRequest, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != PAGE_URL_NAME:
        return False
    if getattr(request, "page_cache_refused", False) or getattr(request, "is_preview", False):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    # A form's token (whoever asked next would get this visitor's), or a nonce (it must differ each time).
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or isinstance(getattr(request, "_csp_nonce", None), str):
        return False
    if len(response.content) > MAX_BODY_BYTES or b"csrfmiddlewaretoken" in response.content:
        return False
    # A message added and shown in this very response (none are waiting: there was no cookie).
    messages = getattr(request, "_messages", None)
    if messages is not None and len(messages):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _response_from(entry) -> HttpResponse:
    status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response[HEADER] = "hit"
    return response


class PageCacheMiddleware:
    """Goes right after WhiteNoise, before the session: a hit skips everything after it (session, CSRF,
    authentication, CSP ...) and is sent with the headers stored with it. SecurityMiddleware, before it,
    adds its own headers to hits as to every other response."""

    def __init__(self, get_response):
        self.get_response = get_response
        # The generation this process saw last: hits fetch it and the page in one round trip.
        self.generation = None
        # A process starting may run new code: pages rendered by the old code are not served again.
        purge()

    def __call__(self, request: HttpRequest):
        if not (
            settings.PAGE_CACHE_ENABLED
            and request.method == "GET"
            and _cookieless(request)
            and _is_page_path(request.path_info)
        ):
            return self.get_response(request)
        query = _query(request)
        if query is None:
            return self.get_response(request)
        key = _key(request, query)
        try:
            generation, entry = self._lookup(key)
        except Exception:
            # The cache is down: serve the page as if there were none.
            logger.exception("Could not read the page cache")
            return self.get_response(request)
        if entry is not None:
            return _response_from(entry)
        response = self.get_response(request)
        if _storable(request, response):
            try:
                self._store(generation, key, response)
            except Exception:
                logger.exception("Could not store a page in the page cache")
            else:
                response[HEADER] = "miss"
        return response

    def _lookup(self, key: str):
        cache = _cache()
        guess = self.generation
        keys = [GENERATION_KEY] + ([_entry_key(guess, key)] if guess else [])
        found = cache.get_many(keys)
        generation = found.get(GENERATION_KEY)
        if generation is None:
            # Evicted, or never set: a fresh generation is as safe as any.
            cache.add(GENERATION_KEY, _new_generation(), timeout=None)
            generation = cache.get(GENERATION_KEY)
            self.generation = generation
            return generation, None
        self.generation = generation
        if generation == guess:
            return generation, found.get(_entry_key(guess, key))
        return generation, cache.get(_entry_key(generation, key))

    def _store(self, generation: str | None, key: str, response) -> None:
        if generation is None:
            return
        timeout = min(settings.PAGE_CACHE_SECONDS, seconds_until_next_change())
        if timeout < 1:
            return
        headers = [(name, value) for name, value in response.items() if name != HEADER]
        entry = (response.status_code, headers, response.content)
        _cache().set(_entry_key(generation, key), entry, timeout=int(timeout))
