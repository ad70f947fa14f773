"""Registries other apps use to shape a campaign without messaging importing them.

- audience sources: `register_audience("forum", fn)` where fn(value) returns a Contact id queryset; a
  campaign with audience_source "forum:12" is limited to fn("12").
- link personalisers: `register_link_personaliser("consultation", fn)` where fn(value, contact_id)
  returns that person's own link (e.g. a signed invitation); a campaign with link_personaliser
  "consultation:42" calls fn("42", contact_id).
"""

_audiences = {}
_link_personalisers = {}


def register_audience(name, resolver):
    _audiences[name] = resolver


def resolve_audience(source):
    name, _, value = source.partition(":")
    if name not in _audiences:
        raise LookupError(f"No audience called {name!r} is registered.")
    return _audiences[name](value)


def register_link_personaliser(name, fn):
    _link_personalisers[name] = fn


def link_personaliser(spec):
    """A function of contact_id for a campaign's link_personaliser "name:value"."""
    name, _, value = spec.partition(":")
    if name not in _link_personalisers:
        raise LookupError(f"No link personaliser called {name!r} is registered.")
    fn = _link_personalisers[name]
    return lambda contact_id: fn(value, contact_id)
