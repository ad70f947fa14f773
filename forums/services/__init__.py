"""Every parent fora operation. Views, tasks, hooks and commands call these and nothing else.

One module per concern; this package re-exports each module's public API so callers keep importing
`forums.services`:

- `events`: saving an event (its forum link, its calendar SEQUENCE, the change notice) and its name
- `listings`: the public listings, calendar feeds' window, "What's on" and the points parents raised
- `bookings`: booking and cancelling, the waiting list, booking links, booking messages and reminders
- `booking_lists`: bookings as coordinators see, print and download them (masked, CSV-safe)
- `members`: joining and leaving a forum, membership links and the "forum:<id>" audience
- `notices`: event notices to a forum's members (default text, preview, reach, sending once)
- `coordinators`: each forum's coordinators group and messages sent to the coordinators
- `write_ups`: the agenda reminder before a forum meeting and the write-up checklist after it
- `translations`: a forum or event in several languages is one (shared fields, listing once)
- `parent_page`: a parent's own page reached by a one-time link (bookings, fora, requests, preferences)
"""

# `events` and `coordinators` hold post_save receivers: importing them here connects them.
from .booking_lists import *  # noqa: F403
from .bookings import *  # noqa: F403
from .coordinators import *  # noqa: F403
from .events import *  # noqa: F403
from .listings import *  # noqa: F403
from .members import *  # noqa: F403
from .notices import *  # noqa: F403
from .parent_page import *  # noqa: F403
from .translations import *  # noqa: F403
from .write_ups import *  # noqa: F403
