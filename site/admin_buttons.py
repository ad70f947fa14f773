"""Page buttons in the Wagtail admin from one function, shown both in the page listing's "More" menu
and in the page's header, so an app cannot offer an action in one place and forget the other."""

from wagtail import hooks


def register_page_buttons(buttons_for):
    """`buttons_for(page, user)` returns [(label, url, priority), ...] for that page and user."""

    def buttons(page, user):
        from wagtail.admin.widgets import Button

        for label, url, priority in buttons_for(page, user):
            yield Button(label, url, priority=priority)

    hooks.register(
        "register_page_listing_more_buttons", lambda page, user, next_url=None: buttons(page, user)
    )
    hooks.register(
        "register_page_header_buttons", lambda page, user, view_name, next_url=None: buttons(page, user)
    )
    return buttons_for
