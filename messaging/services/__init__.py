"""Every messaging operation. Views, tasks, webhooks and commands call these and nothing else.

One module per concern; this package re-exports each module's public API so callers keep importing
`messaging.services`:

- `consent`: the consent ledger, suppressions, sign-up and the preferences links
- `sending`: rendering, sending one message and the status transitions (the one place status changes)
- `campaigns`: audiences and fan-out
- `fan_out`: the fan-out's rendering and inserts, in the database where it can (used by `campaigns`)
- `delivery`: pacing, batches, sending windows, resuming and finishing campaigns
- `campaign_languages`: a campaign's wording in other languages (drafts only)
- `receipts`: provider delivery callbacks and email tracking events
- `inbound`: inbound texts (STOP, START, HELP and the registered handlers)
- `follow`: "tell me what you decide" follow requests, held and released for anonymous consultations
"""

from .campaign_languages import *  # noqa: F403
from .campaigns import *  # noqa: F403
from .consent import *  # noqa: F403
from .delivery import *  # noqa: F403
from .delivery import _enqueue_batches  # noqa: F401
from .follow import *  # noqa: F403
from .inbound import *  # noqa: F403
from .receipts import *  # noqa: F403
from .sending import *  # noqa: F403
from .sending import _claim, _schedule_retry  # noqa: F401
