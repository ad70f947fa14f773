"""Template filters for the action plan's summaries (the public page, and reports that include
feedback_loop/includes/priority_table.html)."""

from django import template

from ..services import PrioritySummary

register = template.Library()


@register.filter
def summary_line(summary: PrioritySummary) -> str:
    """'3 of 10 actions complete; 2 off track (red), 1 at risk (amber).'"""
    from ..progress_views import summary_line as line

    return line(summary)
