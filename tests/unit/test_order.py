"""The order aggregate's state and queries, child order generation, release, hold and extension."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from contracts.base import Money
from shared.domain.children import extend, generate_children, release_child, set_hold
from shared.domain.commands import cancel, pause
from shared.domain.errors import Rejected
from shared.domain.order import Order, due_lines, is_final, needs_extension
from tests.unit.orders import START, event, make_order, program

THREE_MONTHS = program(event(1), event(2), event(3))


def test_a_new_order_has_the_scheduled_lines_open_and_knows_it_is_complete() -> None:
    order = make_order(THREE_MONTHS)
    assert [(line.line_no, line.event_id, line.ship_date) for line in order.lines] == [
        (1, 1, date(2027, 1, 31)),
        (2, 2, date(2027, 2, 28)),
        (3, 3, date(2027, 3, 31)),
    ]
    assert all(line.state == "open" and line.anchor_day == 31 for line in order.lines)
    assert order.complete and order.status == "active" and order.currency == "EUR"


def test_an_order_capped_by_the_threshold_is_not_complete() -> None:
    order = make_order(program(event(1, occurrences=None)), threshold=3)
    assert len(order.lines) == 3 and not order.complete
    assert needs_extension(order, 4) and not needs_extension(order, 3)


def test_the_order_survives_a_json_round_trip() -> None:
    order, _ = generate_children(make_order(THREE_MONTHS), date(2027, 2, 28), 0, None, authorize=True)
    assert Order.model_validate(order.model_dump(mode="json")) == order


def test_due_lines_honour_the_lead_days() -> None:
    order = make_order(THREE_MONTHS)
    assert due_lines(order, date(2027, 1, 30), 0) == []
    assert [line.line_no for line in due_lines(order, date(2027, 1, 31), 0)] == [1]
    assert [line.line_no for line in due_lines(order, date(2027, 2, 25), 3)] == [1, 2]


def test_nothing_is_due_while_paused_on_hold_or_cancelled() -> None:
    order = make_order(THREE_MONTHS)
    day = date(2027, 3, 31)
    assert due_lines(pause(order, None, date(2027, 1, 1)), day, 0) == []
    assert due_lines(pause(order, date(2027, 4, 1), date(2027, 1, 1)), day, 0) == []
    assert due_lines(set_hold(order, day), day, 0) == []
    assert due_lines(cancel(order, "moved")[0], day, 0) == []


def test_a_pause_whose_end_has_come_counts_as_resumed() -> None:
    paused = pause(make_order(THREE_MONTHS), date(2027, 2, 28), date(2027, 1, 1))
    assert [line.line_no for line in due_lines(paused, date(2027, 2, 28), 0)] == [1, 2]


def test_each_due_line_becomes_one_child_with_a_deterministic_id() -> None:
    order = make_order(program(event(1, price="12.50"), event(2), event(3)), quantity=2)
    order, children = generate_children(order, date(2027, 2, 28), 0, None, authorize=False)
    assert [c.child_order_id for c in children] == ["SO1-1-0001", "SO1-1-0002"]
    assert [c.line_nos for c in children] == [[1], [2]]
    assert [c.ship_date for c in children] == [date(2027, 1, 31), date(2027, 2, 28)]
    assert children[0].total == Money(amount=Decimal("25.00"), currency="EUR")
    assert all(c.released and not c.prepaid for c in children)
    assert [line.state for line in order.lines] == ["generated", "generated", "open"]
    assert order.lines[0].child_order_id == "SO1-1-0001"
    assert order.children == children


def test_generating_again_on_the_same_date_makes_nothing() -> None:
    order, _ = generate_children(make_order(THREE_MONTHS), date(2027, 2, 28), 0, None, authorize=False)
    again, children = generate_children(order, date(2027, 2, 28), 0, None, authorize=False)
    assert children == [] and again == order


def test_payment_gated_children_wait_and_prepaid_orders_make_prepaid_children() -> None:
    order = make_order(program(event(1), event(2), bill_up_front=True))
    order, children = generate_children(order, START, 0, None, authorize=True)
    assert not children[0].released and children[0].prepaid


def test_the_cap_leaves_the_rest_for_the_next_call() -> None:
    order = make_order(THREE_MONTHS)
    day = date(2027, 3, 31)
    assert generate_children(order, day, 0, 0, authorize=False)[1] == []
    order, first = generate_children(order, day, 0, 2, authorize=False)
    order, rest = generate_children(order, day, 0, 2, authorize=False)
    assert [c.line_nos for c in first] == [[1], [2]] and [c.line_nos for c in rest] == [[3]]


def test_consolidation_makes_one_child_of_all_lines_due_at_once() -> None:
    order = make_order(program(event(1), event(2, price="5.00"), event(3), consolidate_past_orders=True))
    order, children = generate_children(order, date(2027, 3, 1), 0, 1, authorize=False)
    (child,) = children
    assert child.child_order_id == "SO1-1-0001" and child.line_nos == [1, 2]
    assert child.ship_date == date(2027, 2, 28)
    assert child.total == Money(amount=Decimal("15.00"), currency="EUR")
    assert [line.child_order_id for line in order.lines] == ["SO1-1-0001", "SO1-1-0001", None]


def test_no_children_while_blocked() -> None:
    order = set_hold(make_order(THREE_MONTHS), date(2027, 1, 1))
    assert generate_children(order, date(2027, 3, 31), 0, None, authorize=False) == (order, [])


def test_a_hold_from_a_later_date_lets_what_falls_due_before_it_ship() -> None:
    order = set_hold(make_order(THREE_MONTHS), date(2027, 2, 28))
    order, children = generate_children(order, date(2027, 3, 31), 0, None, authorize=False)
    assert children == []
    order = set_hold(make_order(THREE_MONTHS), date(2027, 3, 1))
    order, children = generate_children(order, date(2027, 2, 28), 0, None, authorize=False)
    assert [child.line_nos for child in children] == [[1], [2]]
    assert generate_children(order, date(2027, 3, 31), 0, None, authorize=False) == (order, [])


def test_ships_by_leaves_later_lines_for_later_but_the_hold_counts_on_the_business_date() -> None:
    """A capped tick walks the ship dates oldest first: its walk day bounds the lines, not the hold."""
    order = make_order(THREE_MONTHS)
    _, children = generate_children(order, date(2027, 3, 31), 0, 5, authorize=False, ships_by=date(2027, 2, 28))
    assert [child.line_nos for child in children] == [[1], [2]]
    held = set_hold(order, date(2027, 2, 15))
    assert generate_children(held, date(2027, 3, 1), 0, 5, authorize=False, ships_by=date(2027, 1, 31)) == (held, [])


def test_releasing_a_held_child_once() -> None:
    order, (child, *_) = generate_children(make_order(THREE_MONTHS), START, 0, None, authorize=True)
    order, released = release_child(order, child.child_order_id)
    assert released is not None and released.released and order.children == [released]
    assert release_child(order, child.child_order_id) == (order, None)
    with pytest.raises(Rejected):
        release_child(order, "SO1-1-0099")


def test_hold_and_release_of_the_order() -> None:
    order = set_hold(make_order(THREE_MONTHS), date(2027, 2, 1))
    assert order.held_from == date(2027, 2, 1) and set_hold(order, None).held_from is None


def test_extension_continues_numbers_and_dates_and_marks_the_end() -> None:
    order = make_order(program(event(1, occurrences=5)), threshold=2)
    order, added = extend(order, program(event(1, occurrences=5)), 2)
    assert [(line.line_no, line.occurrence, line.ship_date) for line in added] == [
        (3, 3, date(2027, 3, 31)),
        (4, 4, date(2027, 4, 30)),
    ]
    assert not order.complete
    order, added = extend(order, program(event(1, occurrences=5)), 10)
    assert [line.line_no for line in added] == [5] and order.complete and not needs_extension(order, 100)


def test_extension_is_rejected_when_it_cannot_apply() -> None:
    order = make_order(THREE_MONTHS)
    with pytest.raises(Rejected, match="no further occurrences"):
        extend(order, THREE_MONTHS, 1)
    evergreen = program(event(1, occurrences=None))
    with pytest.raises(Rejected, match="at least 1"):
        extend(make_order(evergreen, threshold=2), evergreen, 0)
    with pytest.raises(Rejected, match="cancelled"):
        extend(cancel(make_order(evergreen, threshold=2), "")[0], evergreen, 1)


def test_the_order_is_final_once_its_last_line_has_a_child() -> None:
    order = make_order(THREE_MONTHS)
    assert not is_final(order)
    order, _ = generate_children(order, date(2027, 3, 31) - timedelta(days=1), 0, None, authorize=False)
    assert not is_final(order)
    order, _ = generate_children(order, date(2027, 3, 31), 0, None, authorize=False)
    assert is_final(order)
