"""Template filters for dates and times in GOV.UK style, in UK local time: see parentvoice.dates.

{% load govuk_dates %}
{{ event.start|govuk_time }}                   7pm
{{ event.start|govuk_date }}                   29 December 2026
{{ event.start|govuk_date:"weekday" }}         Tuesday 29 December 2026
{{ event.start|govuk_datetime }}               7pm on Tuesday 29 December 2026
{{ event.start|govuk_datetime:"no weekday" }}  7pm on 29 December 2026
{{ event.start|govuk_time_range:event.end }}   7pm to 9pm
{{ event.start|govuk_datetime_range:event.end }}  7pm to 9pm on Tuesday 29 December 2026
<time datetime="{{ event.start|iso_datetime }}">…</time>
"""

from django import template

from parentvoice import dates

register = template.Library()


@register.filter
def govuk_time(value):
    return dates.govuk_time(value)


@register.filter
def govuk_date(value, arg=""):
    return dates.govuk_date(value, weekday=arg == "weekday")


@register.filter
def govuk_datetime(value, arg=""):
    return dates.govuk_datetime(value, weekday=arg != "no weekday")


@register.filter
def govuk_time_range(value, end):
    return dates.govuk_time_range(value, end)


@register.filter
def govuk_datetime_range(value, end):
    return dates.govuk_datetime_range(value, end)


@register.filter
def iso_datetime(value):
    return dates.iso_datetime(value)
