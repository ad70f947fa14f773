from django import template
from django.utils.text import Truncator

from ..charts import horizontal_bars

register = template.Library()


@register.inclusion_tag("surveys/includes/chart.html")
def bar_chart(chart_id, caption, rows, value_heading="Number of people", layout="svg"):
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
