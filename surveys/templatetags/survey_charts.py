from django import template
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from ..charts import horizontal_bars
from ..small_numbers import FEWER_THAN, NOT_SHOWN

# The words small_numbers puts in place of a hidden count, translated when shown.
gettext_noop("fewer than 5")
gettext_noop("not shown")
NUMBER_OF_PEOPLE = _("Number of people")

register = template.Library()


@register.inclusion_tag("surveys/includes/chart.html")
def bar_chart(chart_id, caption, rows, value_heading=NUMBER_OF_PEOPLE, layout="svg"):
    """A figure with a bar chart and a table of the same numbers. rows: [{"label", "value", "display"}].

    layout "svg" draws one fixed-proportion SVG (admin, PDF briefings); "html" draws each bar as its own
    row with the label above it (public pages), which reflows to any width, down to a 320px phone.
    Its stylesheet is surveys/css/charts.css."""
    if layout == "html":
        drawing = horizontal_bars(rows)
    else:
        drawing = horizontal_bars([{**row, "label": Truncator(row["label"]).chars(38)} for row in rows])
    return {
        "layout": layout,
        "chart_id": chart_id,
        "caption": caption,
        "rows": rows,
        "drawing": drawing,
        "value_heading": value_heading,
    }


@register.filter
def shown_count(value):
    """A count as shown, with "fewer than 5" and "not shown" in the active language."""
    return gettext(value) if value in (FEWER_THAN, NOT_SHOWN) else value
