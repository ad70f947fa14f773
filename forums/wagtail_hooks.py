from wagtail import hooks

from . import services
from .models import ForumIndexPage


@hooks.register("parentvoice_home_sections")
def upcoming_meetings(request):
    index = ForumIndexPage.objects.live().first()
    if index is None:
        return {}
    items = [
        {
            "title": event.title,
            "url": event.get_url(request=request),
            "meta": f"{event.start:%-d %B, %-I:%M%p}".replace("AM", "am").replace("PM", "pm")
            + (f" · {event.forum.title}" if event.forum else ""),
        }
        for event in services.upcoming_events(index, limit=5, include_cancelled=False)
    ]
    return {
        "events": {
            "items": items,
            "more_url": index.url + index.reverse_subpage("whats_on"),
            "more_text": "See what's on",
        }
    }
