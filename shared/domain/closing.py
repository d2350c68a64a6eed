"""When a continuity order is done: every child order invoiced, no further shipment to come
(the last child was made, or the order was cancelled or closed), and its billing settled."""

from typing import Literal

from contracts.base import Frozen
from shared.domain.errors import Rejected


class Closure(Frozen):
    continuity_order_id: str
    customer_id: str
    children: dict[str, list[int]] = {}
    invoiced: list[str] = []
    unpaid: list[str] = []
    final: bool = False
    cancelled: bool = False
    closed: bool = False


def order_id_of(child_order_id: str) -> str:
    """Child order ids are `<continuity order id>-<line no>` (see shared.domain.children)."""
    order_id, sep, line_no = child_order_id.rpartition("-")
    if not sep or not line_no.isdigit():
        raise Rejected(f"{child_order_id!r} is not a child order id of ours")
    return order_id


def child_made(closure: Closure, child_order_id: str, line_nos: list[int], final: bool, prepaid: bool) -> Closure:
    """A child order of an order not prepaid must also be paid before the order can close."""
    children = {**closure.children, child_order_id: line_nos}
    unpaid = closure.unpaid if prepaid else [*closure.unpaid, child_order_id]
    return closure.model_copy(update={"children": children, "final": closure.final or final, "unpaid": unpaid})


def paid(closure: Closure, child_order_id: str | None) -> Closure:
    if child_order_id not in closure.unpaid:
        return closure
    return closure.model_copy(update={"unpaid": [c for c in closure.unpaid if c != child_order_id]})


def invoiced(closure: Closure, child_order_id: str) -> Closure:
    if child_order_id in closure.invoiced:
        return closure
    return closure.model_copy(update={"invoiced": [*closure.invoiced, child_order_id]})


def ended(closure: Closure) -> Closure:
    """No further child order will come, though the last one did not say so."""
    return closure.model_copy(update={"final": True})


def cancelled(closure: Closure) -> Closure:
    return closure.model_copy(update={"cancelled": True})


def closable(closure: Closure, billing_settled: bool) -> Literal["completed", "cancelled"] | None:
    """The reason the order closes now, or None while something is still outstanding."""
    if closure.closed or not billing_settled or not (closure.final or closure.cancelled):
        return None
    if closure.unpaid or any(child not in closure.invoiced for child in closure.children):
        return None
    return "cancelled" if closure.cancelled else "completed"
