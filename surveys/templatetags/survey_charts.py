from django import template
from django.utils.text import Truncator

from ..charts import horizontal_bars

register = template.Library()


@register.inclusion_tag("surveys/includes/chart.html")
def bar_chart(chart_id, caption, rows, value_heading="Number of people"):
    """A figure with an SVG bar chart and a table of the same numbers. rows: [{"label", "value", "display"}]."""
    drawing = horizontal_bars([{**row, "label": Truncator(row["label"]).chars(38)} for row in rows])
    return {
        "chart_id": chart_id,
        "caption": caption,
        "rows": rows,
        "drawing": drawing,
        "value_heading": value_heading,
    }
