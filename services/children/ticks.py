"""Use case of a business-date tick: every order with a line to ship by the new date (plus the
delivery lead time) or a pause ending by it gets its child orders, oldest ship date first, at
most `max_child_orders_per_run` of them per tick; the rest follow on the next tick."""

from datetime import date, timedelta
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from contracts.admin import Parameters
from contracts.internal import BusinessDateAccepted
from services.children.context import Reference
from services.children.progress import progress, progress_messages
from shared.domain.order import Order
from shared.messaging.outbox import Outbox
from shared.store.documents import Documents, Stored
from shared.store.orders import CURSOR_ID, DueCursor, earliest

ONE_DAY = timedelta(days=1)


class Ticks:
    def __init__(
        self,
        db: AsyncDatabase[dict[str, Any]],
        orders: Documents[Order],
        cursor: Documents[DueCursor],
        reference: Reference,
        outbox: Outbox,
    ) -> None:
        self._db = db
        self._orders = orders
        self._cursor = cursor
        self._reference = reference
        self._outbox = outbox

    async def on_business_date(self, tick: BusinessDateAccepted) -> None:
        await self._outbox.sweep(self._orders)
        params = await self._reference.parameters()
        stored = await self._cursor.get(CURSOR_ID) or Stored(CURSOR_ID, DueCursor())
        if tick.message_id in stored.applied:
            return
        today = tick.business_date
        woken = await self._walk("wake_on", stored.state.woken_through, today, tick, params, None)
        cap = params.max_child_orders_per_run or None
        shipped = await self._walk("next_ship", stored.state.shipped_through, today, tick, params, cap)
        cursor = DueCursor(shipped_through=shipped, woken_through=woken)
        await self._outbox.commit(self._cursor, [stored.changed(cursor, tick.message_id, ())])

    async def _walk(
        self,
        field: str,
        through: date | None,
        today: date,
        tick: BusinessDateAccepted,
        params: Parameters,
        cap: int | None,
    ) -> date | None:
        """Handle the orders indexed on each date after `through`; returns how far all were handled."""
        horizon = today + timedelta(days=params.delivery_lead_days) if field == "next_ship" else today
        day = (through + ONE_DAY) if through else await earliest(self._db, field)
        made = 0
        while day is not None and day <= horizon:
            changed = []
            for stored in sorted(await self._orders.find(**{field: day.isoformat()}), key=lambda s: s.id):
                order = stored.state
                program = await self._reference.program(order.program_id, order.program_version)
                if cap is None:
                    result = progress(order, program, today, params, None)
                else:
                    result = progress(order, program, today, params, cap - made, through=day)
                made += len(result.children)
                if result.order != order:
                    changed.append(stored.changed(result.order, None, progress_messages(result, tick.occurred_at)))
                if cap is not None and made >= cap:
                    await self._outbox.commit(self._orders, changed)
                    return day - ONE_DAY
            await self._outbox.commit(self._orders, changed)
            day += ONE_DAY
        return max(horizon, through) if through else horizon
