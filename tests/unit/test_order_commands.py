"""Customer-service and program commands on a continuity order, and their rejections."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.admin import Interval
from contracts.base import ProductLine
from shared.domain.children import extend, generate_children
from shared.domain.commands import (
    apply_update,
    cancel,
    change_start_date,
    close,
    pause,
    resume,
    skip,
    swap_next,
)
from shared.domain.errors import Rejected
from shared.domain.order import Order, is_final, open_lines
from tests.unit.orders import START, event, make_order, program

TODAY = date(2027, 1, 1)


def dates_of(order: Order) -> list[date]:
    return [line.ship_date for line in order.lines]


THREE_MONTHS = program(event(1), event(2), event(3))
SWAP = [ProductLine(item_id="TEA", quantity=2, unit_price=Decimal("4.00"))]


def test_forfeit_drops_the_next_open_shipment() -> None:
    order, _ = generate_children(make_order(THREE_MONTHS), START, 0, None, authorize=False)
    order, line = skip(order, THREE_MONTHS, "forfeit")
    assert line.line_no == 2 and line.state == "forfeited"
    assert [line.state for line in order.lines] == ["generated", "forfeited", "open"]
    assert dates_of(order) == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]


def test_forfeiting_the_last_open_line_makes_the_order_final() -> None:
    order, _ = generate_children(make_order(THREE_MONTHS), date(2027, 2, 28), 0, None, authorize=False)
    order, _ = skip(order, THREE_MONTHS, "forfeit")
    assert is_final(order)


def test_defer_moves_the_sequence_back_one_slot_without_drifting() -> None:
    order = make_order(THREE_MONTHS)
    order, line = skip(order, THREE_MONTHS, "defer")
    assert (line.line_no, line.event_id, line.ship_date) == (1, 1, date(2027, 2, 28))
    assert [line.event_id for line in order.lines] == [1, 2, 3]
    assert dates_of(order) == [date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]
    order, _ = skip(order, THREE_MONTHS, "defer")
    assert dates_of(order) == [date(2027, 3, 31), date(2027, 4, 30), date(2027, 5, 31)]
    assert all(line.state == "open" for line in order.lines)


def test_defer_leaves_sent_lines_and_later_extensions_follow_the_new_last_slot() -> None:
    p = program(event(1, occurrences=4))
    order, _ = generate_children(make_order(p, threshold=2), START, 0, None, authorize=False)
    order, _ = skip(order, p, "defer")
    assert dates_of(order) == [date(2027, 1, 31), date(2027, 3, 31)]
    order, added = extend(order, p, 5)
    assert [line.ship_date for line in added] == [date(2027, 4, 30), date(2027, 5, 31)]
    assert [line.occurrence for line in order.lines] == [1, 2, 3, 4] and order.complete


def test_defer_of_an_evergreen_order_keeps_the_next_slot_for_later_lines() -> None:
    p = program(event(1, occurrences=None, interval=Interval(unit="week", count=1)))
    order, _ = skip(make_order(p, start=date(2027, 1, 1), threshold=2), p, "defer")
    assert dates_of(order) == [date(2027, 1, 8), date(2027, 1, 15)]
    assert [line.ship_date for line in extend(order, p, 1)[1]] == [date(2027, 1, 22)]


def test_skip_is_rejected_when_nothing_is_left_or_the_order_ended() -> None:
    done, _ = generate_children(make_order(THREE_MONTHS), date(2027, 3, 31), 0, None, authorize=False)
    with pytest.raises(Rejected, match="no open shipment"):
        skip(done, THREE_MONTHS, "defer")
    with pytest.raises(Rejected, match="cancelled"):
        skip(cancel(make_order(THREE_MONTHS), "")[0], THREE_MONTHS, "forfeit")


def test_swap_changes_the_next_open_shipment_only() -> None:
    order, _ = generate_children(make_order(THREE_MONTHS), START, 0, None, authorize=False)
    order, line = swap_next(order, SWAP)
    assert line.line_no == 2 and order.lines[1].lines == SWAP
    assert order.lines[2].lines[0].item_id == "BOOK-3" and order.lines[0].lines[0].item_id == "BOOK-1"


def test_swap_is_rejected_without_an_open_line_or_products() -> None:
    done, _ = generate_children(make_order(THREE_MONTHS), date(2027, 3, 31), 0, None, authorize=False)
    with pytest.raises(Rejected):
        swap_next(done, SWAP)
    with pytest.raises(Rejected):
        swap_next(make_order(THREE_MONTHS), [])


def test_pause_and_resume() -> None:
    order = pause(make_order(THREE_MONTHS), date(2027, 6, 1), TODAY)
    assert order.status == "paused" and order.paused_until == date(2027, 6, 1)
    resumed = resume(order)
    assert resumed.status == "active" and resumed.paused_until is None


def test_pause_and_resume_rejections() -> None:
    order = make_order(THREE_MONTHS)
    paused = pause(order, None, TODAY)
    with pytest.raises(Rejected, match="already paused"):
        pause(paused, date(2027, 5, 1), TODAY)
    with pytest.raises(Rejected, match="not after"):
        pause(order, TODAY, TODAY)
    with pytest.raises(Rejected, match="not paused"):
        resume(order)
    with pytest.raises(Rejected):
        pause(cancel(order, "")[0], None, TODAY)


def test_an_expired_pause_may_be_paused_again() -> None:
    order = pause(make_order(THREE_MONTHS), date(2027, 2, 1), TODAY)
    assert pause(order, None, date(2027, 2, 1)).paused_until is None


def test_change_start_date_replans_every_line() -> None:
    order, moved = change_start_date(make_order(THREE_MONTHS), THREE_MONTHS, date(2027, 4, 30), TODAY)
    assert order.start_date == date(2027, 4, 30)
    assert dates_of(order) == [date(2027, 4, 30), date(2027, 5, 30), date(2027, 6, 30)]
    assert len(moved) == 3


def test_change_start_date_before_the_business_date_starts_on_the_business_date() -> None:
    order, _ = change_start_date(make_order(THREE_MONTHS), THREE_MONTHS, date(2026, 1, 1), date(2027, 2, 10))
    assert order.start_date == date(2027, 2, 10) and dates_of(order)[0] == date(2027, 2, 10)


def test_change_start_date_is_rejected_once_a_child_exists() -> None:
    order, _ = generate_children(make_order(THREE_MONTHS), START, 0, None, authorize=False)
    with pytest.raises(Rejected, match="child orders"):
        change_start_date(order, THREE_MONTHS, date(2027, 5, 1), TODAY)


def test_cancel_cancels_the_open_lines_and_returns_them() -> None:
    order, _ = generate_children(make_order(THREE_MONTHS), START, 0, None, authorize=False)
    order, cancelled = cancel(order, "moved abroad")
    assert [line.line_no for line in cancelled] == [2, 3] and all(c.state == "cancelled" for c in cancelled)
    assert order.status == "cancelled" and order.cancel_reason == "moved abroad" and is_final(order)
    assert open_lines(order) == []
    with pytest.raises(Rejected):
        cancel(order, "again")


def test_close_stops_the_order_like_a_cancel() -> None:
    order, cancelled = close(make_order(THREE_MONTHS))
    assert order.status == "closed" and len(cancelled) == 3 and is_final(order)
    with pytest.raises(Rejected):
        close(order)


def test_apply_update_rewrites_unsent_lines_only() -> None:
    order, _ = generate_children(make_order(THREE_MONTHS), START, 0, None, authorize=False)
    v2 = program(event(1, price="99.00"), event(2, price="11.00"), event(3, price="12.00"))
    updated, update = apply_update(order, v2, 2)
    assert updated.lines[0] == order.lines[0]
    assert [line.lines[0].unit_price for line in updated.lines] == [Decimal("10.00"), Decimal("11.00"), Decimal("12")]
    assert [line.line_no for line in update.rewritten] == [2, 3] and update.dropped == []
    assert updated.program_version == 2 and updated.complete


def test_apply_update_drops_lines_the_new_version_has_no_shipment_for_and_extends_for_more() -> None:
    order, _ = generate_children(make_order(THREE_MONTHS), START, 0, None, authorize=False)
    shorter = program(event(1), event(2))
    updated, update = apply_update(order, shorter, 2)
    assert [line.line_no for line in update.dropped] == [3] and len(updated.lines) == 2 and updated.complete
    longer = program(event(1), event(2), event(3), event(4))
    updated, update = apply_update(order, longer, 3)
    assert update.rewritten == [] and not updated.complete
    assert [line.event_id for line in extend(updated, longer, 1)[1]] == [4]


def test_apply_update_without_children_replans_from_the_start_date() -> None:
    v2 = program(event(1, interval=Interval(unit="week", count=1)), event(2), days_after_order=7)
    updated, update = apply_update(make_order(THREE_MONTHS), v2, 2)
    assert dates_of(updated) == [date(2027, 2, 7), date(2027, 3, 7)]
    assert [line.line_no for line in update.dropped] == [3]


def test_apply_update_keeps_states_and_is_harmless_when_repeated() -> None:
    order, _ = skip(make_order(THREE_MONTHS), THREE_MONTHS, "forfeit")
    v2 = program(event(1, price="1.00"), event(2), event(3))
    updated, _ = apply_update(order, v2, 2)
    assert [line.state for line in updated.lines] == ["forfeited", "open", "open"]
    assert apply_update(updated, v2, 2)[0] == updated
    with pytest.raises(Rejected, match="version 2"):
        apply_update(updated, THREE_MONTHS, 1)
