"""Use case of a business-date tick: every account with something to do on a date since the last
tick (a request date, a retry, a failed item falling due) is brought up to the new date."""

from datetime import date, timedelta
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from contracts.internal import BusinessDateAccepted
from services.billing.collect import collect
from shared.messaging.outbox import Outbox
from shared.store.billing import CURSOR_ID, BillingAccount, BillingCursor, earliest
from shared.store.documents import Documents, Stored

ONE_DAY = timedelta(days=1)


class Ticks:
    def __init__(
        self,
        db: AsyncDatabase[dict[str, Any]],
        accounts: Documents[BillingAccount],
        cursor: Documents[BillingCursor],
        outbox: Outbox,
    ) -> None:
        self._db = db
        self._accounts = accounts
        self._cursor = cursor
        self._outbox = outbox

    async def on_business_date(self, tick: BusinessDateAccepted) -> None:
        await self._outbox.sweep(self._accounts)
        stored = await self._cursor.get(CURSOR_ID) or Stored(CURSOR_ID, BillingCursor())
        if tick.message_id in stored.applied:
            return
        today, through = tick.business_date, stored.state.through
        day: date | None = through + ONE_DAY if through else await earliest(self._db)
        while day is not None and day <= today:
            changed = []
            for account in sorted(await self._accounts.find(next_action=day.isoformat()), key=lambda s: s.id):
                cause = f"{account.id}:{today.isoformat()}"
                state, out = collect(account.state, today, cause, tick.occurred_at)
                if state != account.state:
                    changed.append(account.changed(state, None, out))
            await self._outbox.commit(self._accounts, changed)
            day += ONE_DAY
        cursor = BillingCursor(through=max(today, through) if through else today)
        await self._outbox.commit(self._cursor, [stored.changed(cursor, tick.message_id, ())])
