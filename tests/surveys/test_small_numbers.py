"""The small-numbers rule (surveys/small_numbers.py): no hidden count can be recovered exactly by
subtraction from totals, checked against an independent oracle (exact linear algebra over the
fractions) for any list or table of counts."""

from fractions import Fraction

from hypothesis import example, given, settings
from hypothesis import strategies as st

from surveys.small_numbers import FEWER_THAN, NOT_SHOWN, hidden_cells, hidden_in_line, shown_line

BOUNDED = settings(max_examples=200, deadline=None)
COUNTS = st.integers(min_value=0, max_value=40) | st.integers(min_value=0, max_value=6)


def _rank(rows):
    rows = [list(row) for row in rows]
    rank, columns = 0, len(rows[0]) if rows else 0
    for column in range(columns):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][column] != 0:
                factor = Fraction(rows[r][column], rows[rank][column])
                rows[r] = [x - factor * y for x, y in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def worked_out(shape, hidden, *, row_totals_known, column_totals_known):
    """The hidden cells that the known totals determine: the unknowns are the hidden cells, each known
    total is one equation; a cell is determined when its unit vector is in the equations' span."""
    n_rows, n_columns = shape
    unknowns = sorted(hidden)
    equations = []
    if row_totals_known:
        equations += [[Fraction(cell[0] == r) for cell in unknowns] for r in range(n_rows)]
    if column_totals_known:
        equations += [[Fraction(cell[1] == c) for cell in unknowns] for c in range(n_columns)]
    equations = [e for e in equations if any(e)]
    base = _rank(equations) if equations else 0
    return {
        cell
        for i, cell in enumerate(unknowns)
        if _rank([*equations, [Fraction(j == i) for j in range(len(unknowns))]]) == base
    }


@BOUNDED
@given(st.lists(COUNTS, min_size=2, max_size=10))
@example([3, 10, 12])  # the 3 was 25 - 22 with the total shown
@example([1, 0, 10])
@example([4, 0, 0])
def test_no_hidden_count_in_a_list_can_be_worked_out_from_its_total(counts):
    hidden = hidden_in_line(counts)
    assert {i for i, n in enumerate(counts) if 0 < n < 5} <= hidden
    cells = {(0, i) for i in hidden}
    assert not worked_out((1, len(counts)), cells, row_totals_known=True, column_totals_known=False)
    assert len(hidden) != 1
    if not any(0 < n < 5 for n in counts):
        assert not hidden  # nothing small, nothing hidden


@BOUNDED
@given(
    st.integers(min_value=2, max_value=5).flatmap(
        lambda columns: st.lists(st.lists(COUNTS, min_size=columns, max_size=columns), min_size=2, max_size=6)
    )
)
@example([[3, 10, 12], [10, 10, 10]])
@example([[1, 9, 9, 9], [9, 9, 9, 2], [9, 9, 9, 9]])
def test_no_hidden_cell_of_a_table_can_be_worked_out_from_its_row_and_column_totals(table):
    hidden = hidden_cells(table)
    small = {(r, c) for r, row in enumerate(table) for c, n in enumerate(row) if 0 < n < 5}
    assert small <= hidden
    shape = (len(table), len(table[0]))
    assert not worked_out(shape, hidden, row_totals_known=True, column_totals_known=True)


def test_labels_say_which_counts_are_small():
    assert shown_line([3, 10, 12, 0]) == [FEWER_THAN, NOT_SHOWN, 12, 0]
    assert shown_line([7, 10, 12]) == [7, 10, 12]
    # A zero is hidden only when nothing else will do.
    assert shown_line([1, 0, 10]) == [FEWER_THAN, 0, NOT_SHOWN]
    assert shown_line([4, 0, 0]) == [FEWER_THAN, NOT_SHOWN, 0]
