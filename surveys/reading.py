"""What a consultation offers to read before answering: its easy-read version and its documents.

Both are shown on public pages, so both leave out what Wagtail would refuse to serve to the public:
an easy-read page that is not live or sits under a page view restriction, and a document in a
collection (or under a collection) with a view restriction. Wagtail still checks both when serving;
this only keeps the intro from offering links that lead to a password or login page."""

from dataclasses import dataclass

from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.urls import reverse
from wagtail.models import CollectionViewRestriction, PageViewRestriction

from parentvoice import dates

from .models import ConsultationDocument, ConsultationPage, EasyReadPage


@dataclass(frozen=True)
class EasyReadLink:
    page: EasyReadPage
    # Set when a translation has no easy-read version of its own and links its source's instead.
    language_code: str | None = None


def _restricted_above(model, path_field: str):
    """A view restriction on the row at `path_field` or on any of its ancestors: treebeard's paths
    make an ancestor's path a prefix of its descendants' paths."""
    holder = "page" if model is PageViewRestriction else "collection"
    return Exists(
        model.objects.filter(
            **{f"{holder}__path": Substr(OuterRef(path_field), 1, Length(f"{holder}__path"))}
        )
    )


def easy_read_link(page: ConsultationPage) -> EasyReadLink | None:
    """The live, public easy-read version to link from `page`'s intro, in one query.

    A translation links its own easy-read child; without one it links the source page's, marked with
    the source's language so the link can say so."""
    if page.pk is None:
        return None  # the editor's preview of a consultation not saved yet has no children
    source = page.source_page
    candidates = [page] if source.pk == page.pk else [page, source]
    under = models.Q()
    for parent in candidates:
        under |= models.Q(path__startswith=parent.path, depth=parent.depth + 1)
    found = {
        child.path[: -EasyReadPage.steplen]: child
        for child in EasyReadPage.objects.live()
        .filter(under)
        .exclude(_restricted_above(PageViewRestriction, "path"))
        .order_by("path")
    }
    if page.path in found:
        return EasyReadLink(found[page.path])
    if source.path in found:
        return EasyReadLink(found[source.path], language_code=source.language_code)
    return None


def public_documents(page: ConsultationPage) -> list[ConsultationDocument]:
    """The documents to list on `page`'s intro, in the order the editor set, in one query."""
    documents = page.documents.all()
    if isinstance(documents, models.QuerySet):
        return list(
            documents.select_related("document")
            .exclude(_restricted_above(CollectionViewRestriction, "document__collection__path"))
            .order_by("sort_order", "pk")
        )
    # The editor's preview: the documents are held in memory, as the editor left them.
    restricted = list(CollectionViewRestriction.objects.values_list("collection__path", flat=True))
    return [
        item
        for item in documents
        if item.document_id and not any(item.document.collection.path.startswith(p) for p in restricted)
    ]


def consultation_of(easy_read: EasyReadPage) -> ConsultationPage | None:
    """The consultation an easy-read page belongs to (its parent), in one query. By path, not pk, so the
    editor's preview of a page not saved yet finds it too."""
    if not easy_read.path:
        return None
    return ConsultationPage.objects.filter(path=easy_read.path[: -EasyReadPage.steplen]).first()


def easy_read_context(easy_read: EasyReadPage) -> dict:
    """What the easy-read page shows around its rows: its consultation, and whether and how to answer."""
    consultation = consultation_of(easy_read)
    if consultation is None:
        return {"consultation": None}
    # A translation's opening times are its source's (ConsultationPage.source_page).
    source = consultation.source_page
    return {
        "consultation": consultation,
        "is_open": source.is_open,
        "has_closed": source.has_closed,
        "opens": dates.govuk_datetime(source.opens_at),
        "closes": dates.govuk_datetime(source.closes_at),
        "start_url": reverse("surveys:start", args=[consultation.pk]) if consultation.pk else "#",
    }
