from django.utils import timezone
from wagtail import hooks

from .models import ConsultationPage


@hooks.register("parentvoice_home_sections")
def open_consultations(request):
    now = timezone.now()
    consultations = (
        ConsultationPage.objects.live()
        .public()
        .filter(opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at")
        .only("title", "url_path", "closes_at")[:5]
    )
    items = [
        {"title": c.title, "url": c.get_url(request=request), "meta": f"Closes {c.closes_at:%-d %B %Y}"}
        for c in consultations
    ]
    return {"consultations": {"items": items}}
