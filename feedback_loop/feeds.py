"""RSS and Atom feeds of published decisions, newest first (a status change republishes an entry)."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from .services import public_log

FEED_LENGTH = 30


class DecisionsRss(Feed):
    description = "Decisions made after listening to parents and carers, and what happened next."

    def get_object(self, request, page):
        self.page = page
        return page

    def title(self, page):
        return f"{page.title}: decisions"

    def link(self, page):
        return page.url

    def items(self, page):
        # Each decision carries only its public items: see public_log.public_decisions.
        return public_log.latest_decisions(limit=FEED_LENGTH)

    def item_title(self, decision):
        return f"{decision.get_status_display()}: {decision}"

    def item_description(self, decision):
        said = " ".join(f"You said: {item.summary}" for item in decision.feedback_items.all())
        why = f" Why: {decision.reason}" if decision.reason else ""
        return f"{said} We did: {decision.summary}{why} Decided by {decision.deciding_body}."

    def item_link(self, decision):
        return self.page.decision_url(decision.pk)

    def item_guid(self, decision):
        return self.item_link(decision)

    def item_pubdate(self, decision):
        return decision.first_published_at

    def item_updateddate(self, decision):
        return decision.last_published_at


class DecisionsAtom(DecisionsRss):
    feed_type = Atom1Feed
    subtitle = DecisionsRss.description
