"""The children service's step that brings one order up to a business date, without broker or store."""

from datetime import date

from contracts.admin import Parameters
from services.children.progress import progress
from shared.domain.children import set_hold
from tests.unit.orders import event, make_order, program

THREE_MONTHS = program(event(1), event(2), event(3))


def test_a_capped_walk_through_old_ship_dates_makes_nothing_while_the_order_is_held() -> None:
    held = set_hold(make_order(THREE_MONTHS), date(2027, 2, 15))
    result = progress(held, THREE_MONTHS, date(2027, 3, 1), Parameters(), 5, through=date(2027, 1, 31))
    assert result.children == [] and result.order == held

