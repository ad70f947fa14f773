"""Results aggregation (counts in SQL, suppression of small cells). Built out in the results work."""


def public_results(page):
    return {}
