"""Demo: reach benchmarks (the census share of fathers and of each ethnic group) so the reach dashboard
flags fathers as under-represented.

The figures are ILLUSTRATIVE, rounded and labelled "Census 2021 (illustrative)": they are roughly the
shape of Kent's census figures, not a citation. About one demo response in seven is from a father
(feedback_loop.demo gives each response a role from a fixed mix), far below the 45% benchmark, so
fathers are flagged without adding responses. Safe to run twice: each benchmark is updated in place."""

from decimal import Decimal

from parentvoice.models import District
from surveys.choices import ReachDimension
from surveys.models import ReachBenchmark

SOURCE = "Census 2021 (illustrative)"

COUNTY = [
    (ReachDimension.PARENT_ROLE, "mother", "50"),
    (ReachDimension.PARENT_ROLE, "father", "45"),
    (ReachDimension.PARENT_ROLE, "grandparent", "2.5"),
    (ReachDimension.PARENT_ROLE, "foster_carer", "0.5"),
    (ReachDimension.ETHNICITY, "white", "89.5"),
    (ReachDimension.ETHNICITY, "asian", "4.6"),
    (ReachDimension.ETHNICITY, "black", "2.0"),
    (ReachDimension.ETHNICITY, "mixed", "2.5"),
    (ReachDimension.ETHNICITY, "other", "1.4"),
]
# One district's own figure: the Dover view uses it, and the county's for every other group.
DOVER = [(ReachDimension.PARENT_ROLE, "father", "44")]


def _save(district, rows):
    for dimension, value, share in rows:
        ReachBenchmark.objects.update_or_create(
            district=district,
            dimension=dimension,
            value=value,
            defaults={"share": Decimal(share), "source": SOURCE},
        )


def load_reach_demo(say):
    _save(None, COUNTY)
    dover = District.objects.filter(name="Dover").first()
    if dover is not None:
        _save(dover, DOVER)
    say(
        f"Reach benchmarks: {len(COUNTY)} county-wide"
        + (f" and {len(DOVER)} for Dover" if dover else "")
        + " (illustrative census figures); the reach dashboard flags fathers as under-represented."
    )
