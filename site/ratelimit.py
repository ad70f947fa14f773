"""Abuse limits on public forms and on our text number: one limiter for the whole site.

It is django-allauth's rate limiter, the one that already guards signing in, so our limits and allauth's
share one implementation, one cache and one idea of who the client is: the account adapter's
`get_client_ip`, which trusts `X-Forwarded-For` only as far as `ALLAUTH_TRUSTED_PROXY_COUNT` (our
`TRUSTED_PROXY_COUNT`) says, and groups IPv6 clients by their /64. allauth's public helper
(`allauth.core.ratelimit.consume`) reads only allauth's own `ACCOUNT_RATE_LIMITS`; its implementation,
used here, takes the limits as an argument, so ours live in our own setting and cache keys.

`settings.PUBLIC_RATE_LIMITS` maps an action to allauth's rate format: `<amount>/<period>/<per>` rules
joined by commas, where the period is `s`, `m`, `h` or `d` (optionally with a number, `10m`) and `per` is
`ip` (the client) or `key` (the target: an event, a forum, a recipient's address, a personal link). Every
rule of an action must allow an attempt; an action set to "" is not limited, and one missing from the
setting is an error (ImproperlyConfigured), so that a new form cannot go unlimited by mistake.
Only POST is ever limited: looking at a page never counts. See docs/security.md.
"""

from functools import lru_cache, wraps

import phonenumbers
from allauth.core.internal import ratelimit as _allauth
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render
from django.utils.translation import gettext, ngettext

from .text import clean_text

APP = "parentvoice"
# Counts every public form's attempts to send something to one email address or mobile number.
RECIPIENT = "recipient"


def client_ip(request):
    """The address limits count against: allauth's, behind as many trusted proxies as configured."""
    return _allauth.get_ip(request)


@lru_cache(maxsize=256)
def _rules(rates):
    """('<ip rules>', '<key rules>', longest period in seconds) for one action's setting."""
    by_per = {"ip": [], "key": []}
    longest = 0
    for part in filter(None, (p.strip() for p in (rates or "").split(","))):
        rate = _allauth.parse_rate(part)
        if rate.per not in by_per:
            raise ImproperlyConfigured(f"PUBLIC_RATE_LIMITS: {part!r} must count per ip or per key")
        by_per[rate.per].append(part)
        longest = max(longest, rate.duration)
    return ",".join(by_per["ip"]), ",".join(by_per["key"]), longest


def _consume(request, action, keys):
    """The usages counted for one action (per client once, per key for each key), or None if refused."""
    if action not in settings.PUBLIC_RATE_LIMITS:
        # A forgotten action would otherwise go unlimited without anyone noticing.
        raise ImproperlyConfigured(f"PUBLIC_RATE_LIMITS has no {action!r}: give it rules, or '' for none")
    ip_rules, key_rules, _ = _rules(settings.PUBLIC_RATE_LIMITS[action])
    attempts = []
    if ip_rules:
        if request is None:
            raise ImproperlyConfigured(
                f"PUBLIC_RATE_LIMITS[{action!r}] counts per ip where there is no client"
            )
        attempts.append(({action: ip_rules}, None))
    if key_rules:
        attempts += [({action: key_rules}, str(key)) for key in dict.fromkeys(keys) if key]
    usages = []
    for config, key in attempts:
        usage = _allauth.consume(request, app=APP, action=action, config=config, key=key, limit_get=True)
        if usage is None:
            _give_back(usages)
            return None
        usages.append(usage)
    return usages


def _give_back(usages):
    for usage in usages:
        usage.rollback()


def refused(request, *checks):
    """Count one attempt against each `(action, keys)` check. Returns None when every limit allows it;
    when one refuses, nothing is counted (what was already counted is given back) and the refusing
    action is returned."""
    counted = []
    for action, keys in checks:
        usages = _consume(request, action, keys)
        if usages is None:
            _give_back(counted)
            return action
        counted += usages
    return None


def consume(request, *checks):
    """True when every `(action, keys)` check allows one more attempt, which is then counted."""
    return refused(request, *checks) is None


def allow(action, key):
    """For limits outside a web request (the text number): per-key rules only."""
    return consume(None, (action, [key]))


def recipient_keys(data):
    """The email address and mobile number a form would send to, cleaned and normalised as the form
    will clean them (control characters and bidi marks gone, the number in +44 form), so that spelling
    an address differently ("07700 900123", "+447700900123", "par\x01ent@...") is still the same one."""
    keys = []
    email = clean_text(data.get("email") or "").replace(" ", "").lower()
    if email:
        keys.append(f"email:{email}")
    mobile = "".join(clean_text(data.get("mobile") or "").split())
    if mobile:
        try:
            mobile = phonenumbers.format_number(
                phonenumbers.parse(mobile, "GB"), phonenumbers.PhoneNumberFormat.E164
            )
        except phonenumbers.NumberParseException:
            pass
        keys.append(f"sms:{mobile}")
    return keys


def _try_again(seconds):
    if seconds <= 60:
        return gettext("in a minute")
    if seconds < 3600:
        minutes = round(seconds / 60)
        return ngettext("in %(count)s minute", "in %(count)s minutes", minutes) % {"count": minutes}
    if seconds == 3600:
        return gettext("in an hour")
    if seconds < 86400:
        hours = round(seconds / 3600)
        return ngettext("in %(count)s hour", "in %(count)s hours", hours) % {"count": hours}
    return gettext("tomorrow")


def too_many_attempts(request, action):
    """The page a limited person sees: status 429, plain English, and the way back to the page."""
    longest = _rules(settings.PUBLIC_RATE_LIMITS.get(action))[2] or 3600
    return render(
        request,
        "429.html",
        {"try_again": _try_again(longest), "back_url": request.get_full_path()},
        status=429,
    )


def limit_post(action, *, key=None, recipients=False):
    """Limit a view's POSTs (GET is never limited) by `action`, per client and per target.

    `key(request, *args, **kwargs)` names the target (an event id, a personal link), or a list of them;
    `recipients=True` also counts the form's email address and mobile number under RECIPIENT, across
    every form. A refused POST never reaches the view, so nothing already saved is touched."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                target = key(request, *args, **kwargs) if key else None
                checks = [(action, target if isinstance(target, list | tuple) else [target])]
                if recipients:
                    checks.append((RECIPIENT, recipient_keys(request.POST)))
                limited = refused(request, *checks)
                if limited:
                    return too_many_attempts(request, limited)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
