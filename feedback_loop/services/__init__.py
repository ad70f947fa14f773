"""'You said, we did': the rules for feedback items and decisions, telling parents what was decided,
the public log, the officers' dashboard figures and decision makers' briefings.

One module per concern; this package re-exports each module's public API so callers keep importing
`feedback_loop.services`:

- `items`: what a 'You said' item rests on, its rules and its quotes' checks, items awaiting a decision
- `decisions`: a 'We did' decision's rules, status changes and publishing after the preview
- `outcomes`: telling parents (the audience, the outcome notice campaign and its preview)
- `closure`: closing a consultation with feedback and reopening it
- `dashboard`: overdue items, consultations not written up and the headline figures
- `public_log`: what the public log, its feeds and the pages beside it show
- `briefings`: decision makers' briefings (page and PDF) and their weekly digest
- `action_plan`: actions' RAG status, reports due, reporting progress, overdue decisions
- `reach`: the reach and equality dashboard (who took part, against benchmarks)
- `reports`: what district, theme and board reports show; `report_making`: making one, its PDF in a
  task and the emailed link
- `open_data` (not re-exported): the public API's and CSV downloads' querysets
"""

from .action_plan import *  # noqa: F403
from .briefings import *  # noqa: F403
from .closure import *  # noqa: F403
from .dashboard import *  # noqa: F403
from .decisions import *  # noqa: F403
from .items import *  # noqa: F403
from .outcomes import *  # noqa: F403
from .public_log import *  # noqa: F403
from .reach import *  # noqa: F403
from .report_making import *  # noqa: F403
from .reports import *  # noqa: F403
