"""Demo partners: a children's centre in Dover, a primary school in Thanet and the county's health
visiting team, each with its own link to the demo's open consultations, and some demo responses
recorded as having come through them. Safe to run again: nothing is made twice."""

from django.utils import timezone
from wagtail.models import Locale

from parentvoice.models import District

from . import partners
from .choices import PartnerKind, ResponseStatus
from .models import ConsultationPage, Partner, PartnerLink, Response

DEMO_PARTNERS = [
    ("Dover Family Hub and Children's Centre", PartnerKind.CHILDRENS_CENTRE, "Dover"),
    ("Cliftonville Primary School", PartnerKind.SCHOOL, "Thanet"),
    ("Kent Health Visiting Team", PartnerKind.HEALTH_VISITING, None),
]
# Of each consultation's complete responses, these go to the partners in turn (by response order),
# the rest came through no partner: so one partner shows "fewer than 5" when there are few answers.
SHARE_EVERY = 3


def load_partner_demo(say) -> None:
    made = []
    for name, kind, district_name in DEMO_PARTNERS:
        district = District.objects.filter(name=district_name).first() if district_name else None
        partner, _ = Partner.objects.get_or_create(name=name, defaults={"kind": kind, "district": district})
        made.append(partner)
    now = timezone.now()
    # A translation's partner links and answers are its English page's (docs/languages.md).
    open_pages = ConsultationPage.objects.live().filter(
        opens_at__lte=now, closes_at__gt=now, locale=Locale.get_default()
    )
    links = 0
    for page in open_pages:
        for partner in made:
            if not PartnerLink.objects.filter(consultation=page, partner=partner).exists():
                partners.create_link(page, partner)
                links += 1
        responses = Response.objects.filter(consultation=page, status=ResponseStatus.COMPLETE).order_by("pk")
        if responses.filter(partner__isnull=False).exists():
            continue  # done on an earlier run
        for n, response_id in enumerate(responses.values_list("pk", flat=True)):
            if n % SHARE_EVERY != SHARE_EVERY - 1:
                Response.objects.filter(pk=response_id).update(partner=made[n % len(made)])
    say(f"{len(made)} partner organisations and {links} partner links")
