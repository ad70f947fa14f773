"""Small numbers: the one rule for every table of counts that people outside the team may see (public
results, briefings) and for breakdowns by district and the like.

1. A count from 1 to 4 is hidden ("fewer than 5"): it could point to a person.
2. A total might be known, or worked out (from a total shown elsewhere, from percentages), so a hidden
   count must not be recoverable by subtracting the shown counts from totals. Where it would be, the
   smallest other count that stops it (a non-zero one first) is hidden too ("not shown"), and so on
   until no hidden count can be recovered. In a table, every row total and every column total is
   assumed known.

`hidden_cells` is the rule, a pure function of the counts. It works on the graph whose nodes are the
rows and columns with a known total (those without one share a single unconstrained node) and whose
edges are the hidden cells: a hidden cell can be worked out from the totals by subtraction (by any
combination of sums and differences) exactly when its edge is a bridge, that is, lies on no cycle.
So the rule hides more cells until no hidden cell is a bridge.

What it does not promise: someone who also knows that a "fewer than 5" count is at least 1 may narrow
two hidden counts down (two hidden in a line adding to 2 are both 1). docs/consultations.md says so.
"""

from collections import defaultdict

SMALL_CELL = 5
FEWER_THAN = "fewer than 5"
NOT_SHOWN = "not shown"
FREE = ("free",)  # the node shared by every row or column whose total is not known


def is_small(count):
    return 0 < count < SMALL_CELL


def _nodes(cell, row_totals_known, column_totals_known):
    row, column = cell
    return (("row", row) if row_totals_known else FREE, ("column", column) if column_totals_known else FREE)


def _reachable(edges, start, without):
    """The nodes reachable from `start` along `edges` ({cell: (node, node)}) leaving out `without`."""
    neighbours = defaultdict(list)
    for cell, (a, b) in edges.items():
        if cell != without:
            neighbours[a].append(b)
            neighbours[b].append(a)
    seen, todo = {start}, [start]
    while todo:
        for other in neighbours[todo.pop()]:
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def recoverable(hidden, *, row_totals_known=True, column_totals_known=True):
    """The hidden cells that subtraction from the totals gives away (bridges of the graph above)."""
    edges = {cell: _nodes(cell, row_totals_known, column_totals_known) for cell in hidden}
    return {
        cell
        for cell, (a, b) in edges.items()
        if a != b and b not in _reachable(edges, a, without=cell)  # a != b: a cell with no known total
    }


def hidden_cells(table, *, row_totals_known=True, column_totals_known=True):
    """The cells of `table` (a list of rows of counts) to hide, as a set of (row, column)."""
    known = {"row_totals_known": row_totals_known, "column_totals_known": column_totals_known}
    counts = {(r, c): n for r, row in enumerate(table) for c, n in enumerate(row)}
    hidden = {cell for cell, n in counts.items() if is_small(n)}
    while True:
        exposed = sorted(recoverable(hidden, **known))
        shown = {cell: n for cell, n in counts.items() if cell not in hidden}
        if not exposed or not shown:
            return hidden
        hidden.add(_protector(exposed[0], hidden, shown, known))


def _protector(cell, hidden, shown, known):
    """The shown cell to hide so that `cell` is no longer given away: one joining the two sides that
    hiding `cell` separates if there is one, else one beside it (in its row or column), else any;
    the smallest, but a zero only when nothing else will do (a hidden 0 beside a hidden 1 would give
    the 1 away to anyone who knows that "fewer than 5" means at least 1)."""
    edges = {other: _nodes(other, **known) for other in hidden}
    a, b = edges[cell]
    side_a, side_b = _reachable(edges, a, without=cell), _reachable(edges, b, without=cell)
    joining, beside = [], []
    for other in shown:
        x, y = _nodes(other, **known)
        if (x in side_a and y in side_b) or (x in side_b and y in side_a):
            joining.append(other)
        if other[0] == cell[0] or other[1] == cell[1]:
            beside.append(other)
    candidates = joining or beside or list(shown)
    return min(candidates, key=lambda other: (shown[other] == 0, shown[other], other))


def hidden_in_line(counts):
    """The positions to hide in one list of counts whose total may be known."""
    return {column for _, column in hidden_cells([list(counts)], column_totals_known=False)}


def label(count, hidden):
    """What to show for one count: the count, "fewer than 5", or "not shown" (hidden to protect another)."""
    if not hidden:
        return count
    return FEWER_THAN if is_small(count) else NOT_SHOWN


def shown_line(counts):
    """A list of counts as shown: hidden ones replaced by their label."""
    counts = list(counts)
    hidden = hidden_in_line(counts)
    return [label(n, i in hidden) for i, n in enumerate(counts)]


def shown_total(total):
    return FEWER_THAN if is_small(total) else total


def rounded(count):
    """A count that stands on its own, outside the tables (how many people a 'You said' item rests
    on): it could equal a count a table hides, so it is rounded to the nearest 5, and None under 5."""
    return None if count < SMALL_CELL else SMALL_CELL * round(count / SMALL_CELL)
