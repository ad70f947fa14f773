"""Partner organisations' own links to a consultation (/p/<code>/), and who came through them.

A children's centre, a school or the health visiting team passes a consultation on to the parents it
works with using its own link. Following the link remembers the partner in the person's session, for
that consultation only; when their web response is saved it records the partner, so officers see
which partner reached whom. The partner is never shown to the parent, and a link carries nothing
about a person."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse

from .choices import ResponseStatus
from .models import ConsultationPage, Partner, PartnerLink, Response
from .small_numbers import shown_total

# No 0/O, 1/I/L: a code read aloud, printed on a poster or copied by hand survives.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10  # 31^10, about 8 * 10^14: one link cannot be found from another, nor guessed
CODE_MAX_LENGTH = 16  # PartnerLink.code; anything longer is not a code, and is refused unread

SESSION_KEY = "partner-links"


class PartnerLinkExists(Exception):
    pass


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def looks_like_code(text: str) -> bool:
    """Cheap check before any query: a code is short, and only ASCII letters and digits."""
    return 0 < len(text) <= CODE_MAX_LENGTH and text.isascii() and text.isalnum()


def link_url(link: PartnerLink) -> str:
    """The full address to copy into a newsletter, an email or a poster."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("surveys:partner_link", args=[link.code])


def create_link(page: ConsultationPage, partner: Partner) -> PartnerLink:
    """The partner's link for this consultation. One per partner and consultation: raises
    PartnerLinkExists if it has one already."""
    if PartnerLink.objects.filter(consultation=page, partner=partner).exists():
        raise PartnerLinkExists
    for _ in range(5):
        code = new_code()
        try:
            with transaction.atomic():
                return PartnerLink.objects.create(consultation=page, partner=partner, code=code)
        except IntegrityError as error:
            if PartnerLink.objects.filter(consultation=page, partner=partner).exists():
                raise PartnerLinkExists from error
            # else the random code was taken (next to impossible): try another
    raise RuntimeError("Could not find an unused partner link code")


def partners_without_link(page: ConsultationPage):
    return Partner.objects.exclude(links__consultation=page).order_by("name")


@dataclass(frozen=True)
class LinkRow:
    link: PartnerLink
    url: str
    responses: int

    @property
    def responses_shown(self) -> int | str:
        """The count as officers see it: 1 to 4 reads "fewer than 5" (0 is shown as 0)."""
        return shown_total(self.responses)


def link_rows(page: ConsultationPage) -> list[LinkRow]:
    """Each partner's link to the consultation with its complete responses: one query."""
    complete = Q(partner__responses__consultation=page, partner__responses__status=ResponseStatus.COMPLETE)
    links = (
        PartnerLink.objects.filter(consultation=page)
        .select_related("partner", "partner__district")
        .annotate(responses=Count("partner__responses", filter=complete))
        .order_by("partner__name")
    )
    return [LinkRow(link, link_url(link), link.responses) for link in links]


# --- Following a link -------------------------------------------------------------------------


def link_for_code(code: str) -> PartnerLink | None:
    if not looks_like_code(code):
        return None
    # Made in capitals; someone typing it from a poster may not.
    return (
        PartnerLink.objects.filter(code__in={code, code.upper()})
        .order_by()
        .only("pk", "consultation_id", "partner_id")
        .first()
    )


def remember(session, link: PartnerLink) -> None:
    """Keep the link in the session for its own consultation (a later one replaces it)."""
    links = dict(session.get(SESSION_KEY) or {})
    links[str(link.consultation_id)] = link.pk
    session[SESSION_KEY] = links
    session.modified = True


def partner_for_session(session, page: ConsultationPage) -> int | None:
    """The partner whose link this session followed to `page`, or None. Checked against the database
    on use: a link for another consultation, one since deleted, or a value that is not a link id at
    all gives None."""
    # Links are the English page's; a translation's answers are stored against it too.
    source_id = page.source_page.pk
    links = session.get(SESSION_KEY)
    link_id = links.get(str(source_id)) if isinstance(links, dict) else None
    if not isinstance(link_id, int) or isinstance(link_id, bool):
        return None
    return (
        PartnerLink.objects.filter(pk=link_id, consultation_id=source_id)
        .values_list("partner_id", flat=True)
        .first()
    )


def forget(session, page: ConsultationPage) -> None:
    key = str(page.source_page.pk)
    links = session.get(SESSION_KEY)
    if isinstance(links, dict) and key in links:
        links = dict(links)
        links.pop(key)
        session[SESSION_KEY] = links


def submit_web_response(
    page: ConsultationPage,
    answers: dict,
    *,
    contact_id: int | None,
    session,
    submission_key: str | None = None,
) -> Response:
    """Save a web response (as follow_up.submit_web_response does, once per `submission_key`) with the
    partner whose link this session followed to this consultation, if any."""
    from . import follow_up

    response = follow_up.submit_web_response(
        page,
        answers,
        contact_id=contact_id,
        partner_id=partner_for_session(session, page),
        submission_key=submission_key,
    )
    forget(session, page)
    return response
