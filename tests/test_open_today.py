"""The dashboard's counts from today's open placements (insight.selectors.OpenToday) against counting them the
long way: a child is counted once in all, once under each value any of their placements has, and once for each
flag any of their placements raises, whatever mix of children with one placement and with several."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from insight.selectors import OpenToday
from placements.register import DIMENSIONS

FLAGS = ["past-planned-end", "reviews-overdue", "below-minimum-hours"]


def _stored_values(dimension):
    """What the database can hold for the dimension: each choice as stored, and NULL where it may be blank."""
    values = [dimension.filter_value(value) for value, _label in dimension.choices()]
    return values + [None] if dimension.blank_label else values


@st.composite
def open_placements(draw):
    children = draw(st.dictionaries(st.integers(1, 12), st.booleans(), min_size=0, max_size=8))  # id: looked after
    rows = []
    for child_id, looked_after in children.items():
        for _ in range(draw(st.integers(1, 3))):
            fixed = (child_id, looked_after, None, "", Decimal("25.0"), "ap", draw(st.integers(1, 3)))
            values = tuple(draw(st.sampled_from(_stored_values(d))) for d in DIMENSIONS)
            flags = tuple(draw(st.booleans()) for _ in FLAGS)
            rows.append(fixed + values + flags)
    return rows


@settings(max_examples=150, deadline=None)
@given(open_placements())
def test_counts_equal_counting_each_child_the_long_way(rows):
    counts = OpenToday(rows, FLAGS).counts()
    children = {row[OpenToday.CHILD] for row in rows}
    assert counts["total"] == len(children)
    for breakdown in counts["breakdowns"]:
        dimension = breakdown["dimension"]
        column = OpenToday.at(dimension.lookup)
        for value, _label, count in breakdown["rows"]:
            expected = {row[OpenToday.CHILD] for row in rows if dimension.value_key(row[column]) == value}
            assert count == len(expected), (dimension.key, value)
    for n, key in enumerate(FLAGS):
        flagged = {row[OpenToday.CHILD]: row[OpenToday.LOOKED_AFTER] for row in rows if row[OpenToday.FLAGS_AT + n]}
        assert counts["flagged"][key] == (len(flagged), sum(flagged.values())), key
