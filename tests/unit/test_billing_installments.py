from decimal import ROUND_DOWN, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.domain.installments import split_installments

totals = st.integers(min_value=1, max_value=10_000_000).map(lambda cents: Decimal(cents) / 100)
counts = st.integers(min_value=1, max_value=36)


@given(totals, counts)
def test_installments_add_up_to_the_total_exactly(total: Decimal, count: int) -> None:
    parts = split_installments(total, count)
    assert len(parts) == count
    assert sum(parts) == total
    assert all(part >= 0 and part == part.quantize(Decimal("0.01")) for part in parts)


@given(totals, counts)
def test_installments_differ_by_at_most_a_cent_and_the_first_carry_the_remainder(
    total: Decimal, count: int
) -> None:
    parts = split_installments(total, count)
    assert max(parts) - min(parts) <= Decimal("0.01")
    assert parts == sorted(parts, reverse=True)
    assert parts[-1] == (total / count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


@pytest.mark.parametrize(
    ("total", "count", "expected"),
    [
        ("100.00", 3, ["33.34", "33.33", "33.33"]),
        ("0.02", 3, ["0.01", "0.01", "0.00"]),
        ("10.00", 4, ["2.50", "2.50", "2.50", "2.50"]),
        ("99.99", 1, ["99.99"]),
    ],
)
def test_known_splits(total: str, count: int, expected: list[str]) -> None:
    assert split_installments(Decimal(total), count) == [Decimal(e) for e in expected]


@pytest.mark.parametrize(("total", "count"), [("10.00", 0), ("-1.00", 2), ("1.005", 2)])
def test_bad_input_is_refused(total: str, count: int) -> None:
    with pytest.raises(ValueError):
        split_installments(Decimal(total), count)
