"""Demo: reach benchmarks (the census share of fathers and of each ethnic group) so the reach dashboard
flags fathers as under-represented."""


def load_reach_demo(say):
    pass
