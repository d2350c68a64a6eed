"""Splitting an up-front total into installments, exact to the cent."""

from decimal import Decimal

CENT = Decimal("0.01")


def split_installments(total: Decimal, count: int) -> list[Decimal]:
    """Split `total` into `count` installments that add up to it exactly.

    Rounding rule: every installment is `total / count` rounded down to the cent,
    and the cents left over (always fewer than `count`) are added one cent each to
    the first installments. So the installments never differ by more than one cent,
    and the earlier ones are never smaller than the later ones:
    100.00 in 3 gives 33.34, 33.33, 33.33; 0.02 in 3 gives 0.01, 0.01, 0.00.

    `total` must be non-negative with at most two decimal places; `count` at least 1.
    """
    if count < 1:
        raise ValueError(f"installment count must be at least 1, got {count}")
    if total < 0:
        raise ValueError(f"total must not be negative, got {total}")
    if total != total.quantize(CENT):
        raise ValueError(f"total must be whole cents, got {total}")
    cents = int(total / CENT)
    base, remainder = divmod(cents, count)
    return [(base + (1 if n < remainder else 0)) * CENT for n in range(count)]
