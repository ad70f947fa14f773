"""Registries other apps use to shape a campaign without messaging importing them.

- audience sources: `register_audience("forum", fn, label=…, choices=…)` where fn(value) returns a
  Contact id queryset; a campaign with audience_source "forum:12" is limited to fn("12"). `choices()`
  returns [(value, label)] for the campaign form's select; a source without choices is never offered
  there (only another app sets it, e.g. "decision:<id>").
- link personalisers: `register_link_personaliser("consultation", fn, sample=…, deadline=…)` where
  fn(value, contact_id, language=None) returns that person's own link (e.g. a signed invitation); a
  campaign with link_personaliser "consultation:42" calls fn("42", contact_id, language), `language`
  being the person's Contact.language as stored ("pl-PL", "en"; the personaliser matches it to what
  it has, e.g. a translation of the page). A fn taking only (value, contact_id) is called without it.
  `sample(value, contact_id, language=None)` is a link of the same length that works for nobody (for
  previews); `deadline(value)` is when the thing the link leads to closes (reminders are counted back
  from it).
- follow-ups: `register_follow_up("consultation", fn)`: fn(value, campaign) runs inside the
  transaction that starts a campaign with that link personaliser (e.g. to schedule its reminder).
- follow topics: `register_audience(..., follow_topics=fn)` where fn(value) returns the follow request
  topics ("consultation:42", "event:7") whose followers an outcome campaign to that audience also
  reaches (see campaigns.audience); `follow_topics("decision:9")` returns them.
- topic titles: `register_topic_title("consultation", fn)` where fn(value) returns the title a person
  sees for "consultation:<value>" on their preferences page; `topic_title(topic)`.

Messaging registers one audience of its own: "import:<id>", the contacts a CSV import created or
updated.
"""

import inspect
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist


@dataclass(frozen=True)
class _Audience:
    resolver: object
    label: str
    choices: object
    follow_topics: object = None


@dataclass(frozen=True)
class _Personaliser:
    fn: object
    sample: object
    deadline: object
    # Whether fn and sample take the person's language (personalisers written before they could).
    fn_takes_language: bool = False
    sample_takes_language: bool = False


_audiences: dict[str, _Audience] = {}
_link_personalisers: dict[str, _Personaliser] = {}
_follow_ups: dict[str, list] = {}
_topic_titles: dict[str, object] = {}
UNKNOWN_TOPIC_TITLE = "a consultation"


def register_audience(name, resolver, *, label="", choices=None, follow_topics=None):
    _audiences[name] = _Audience(resolver, label or "Chosen by the service", choices, follow_topics)


def follow_topics(source: str) -> list[str]:
    """The follow request topics an audience source covers ([] for none, or an unknown source)."""
    if not source:
        return []
    name, _, value = source.partition(":")
    registered = _audiences.get(name)
    if registered is None or registered.follow_topics is None:
        return []
    return list(dict.fromkeys(registered.follow_topics(value)))


def register_topic_title(name, fn):
    _topic_titles[name] = fn


def topic_title(topic: str) -> str:
    """What a person reads for a follow request's topic, e.g. the consultation's title."""
    name, _, value = topic.partition(":")
    fn = _topic_titles.get(name)
    try:
        title = fn(value) if fn is not None else ""
    except (LookupError, ValueError, ObjectDoesNotExist):
        title = ""  # a page since deleted, or a malformed topic: the page still shows
    return title or UNKNOWN_TOPIC_TITLE


def resolve_audience(source):
    name, _, value = source.partition(":")
    if name not in _audiences:
        raise LookupError(f"No audience called {name!r} is registered.")
    return _audiences[name].resolver(value)


def audience_choices():
    """Grouped choices for a select: [(group label, [("name:value", label), …]), …]."""
    groups = []
    for name, registered in _audiences.items():
        if registered.choices is None:
            continue
        options = [(f"{name}:{value}", label) for value, label in registered.choices()]
        if options:
            groups.append((registered.label, options))
    return groups


def describe_audience(source):
    """What an officer reads for an audience_source, e.g. "Members of a parent forum: Dover"."""
    if not source:
        return ""
    name = source.partition(":")[0]
    for group, options in audience_choices():
        for value, label in options:
            if value == source:
                return f"{group}: {label}"
    registered = _audiences.get(name)
    return f"{registered.label} ({source})" if registered else source


def _takes_language(fn) -> bool:
    if fn is None:
        return False
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return any(p.kind == inspect.Parameter.VAR_POSITIONAL for p in parameters) or (
        sum(1 for p in parameters if p.kind in positional) >= 3
    )


def register_link_personaliser(name, fn, *, sample=None, deadline=None):
    _link_personalisers[name] = _Personaliser(
        fn, sample, deadline, _takes_language(fn), _takes_language(sample)
    )


def _personaliser(spec):
    name, _, value = spec.partition(":")
    if name not in _link_personalisers:
        raise LookupError(f"No link personaliser called {name!r} is registered.")
    return _link_personalisers[name], value


def link_personaliser(spec):
    """A function of (contact_id, language=None) for a campaign's link_personaliser "name:value"."""
    registered, value = _personaliser(spec)
    if not registered.fn_takes_language:
        return lambda contact_id, language=None: registered.fn(value, contact_id)
    return lambda contact_id, language=None: registered.fn(value, contact_id, language)


def sample_link(spec, contact_id, language=None):
    """A link as long as `contact_id`'s own (in `language`), that opens nothing: what a preview shows
    an officer (a real personal link on screen would let them answer as that person). Falls back to
    the real link's length in x's when the personaliser gives no sample."""
    registered, value = _personaliser(spec)
    if registered.sample is not None:
        if registered.sample_takes_language:
            return registered.sample(value, contact_id, language)
        return registered.sample(value, contact_id)
    return "x" * len(link_personaliser(spec)(contact_id, language))


def link_deadline(spec):
    """When what the personal links lead to closes, or None (no personaliser, or none registered)."""
    if not spec:
        return None
    try:
        registered, value = _personaliser(spec)
    except LookupError:
        return None
    return registered.deadline(value) if registered.deadline is not None else None


def register_follow_up(name, fn):
    if fn not in _follow_ups.setdefault(name, []):
        _follow_ups[name].append(fn)


def run_follow_ups(campaign):
    if not campaign.link_personaliser:
        return
    name, _, value = campaign.link_personaliser.partition(":")
    for fn in _follow_ups.get(name, []):
        fn(value, campaign)


# --- Messaging's own audience: an imported list ------------------------------------------------


def _import_contact_ids(import_id):
    from .models import ContactImport

    return ContactImport.contacts.through.objects.filter(contactimport_id=int(import_id)).values("contact_id")


def _import_choices():
    from parentvoice.dates import govuk_date

    from .choices import ImportStatus
    from .models import ContactImport

    imports = ContactImport.objects.filter(status=ImportStatus.DONE).order_by("-created_at")[:100]
    return [
        (
            str(i.pk),
            f"{i.filename}, {govuk_date(i.created_at)} ({i.rows_created + i.rows_updated} people)",
        )
        for i in imports
    ]


register_audience("import", _import_contact_ids, label="An imported list", choices=_import_choices)
