"""What billing's use cases work with: the accounts it owns, and what it reads but does not own: the
business date (periods) and the parameters (intake)."""

from datetime import date
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from contracts.admin import Parameters
from shared.messaging.outbox import Outbox
from shared.store import clock, programs
from shared.store.billing import BillingAccount
from shared.store.documents import Documents


class Reference:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self._parameters = programs.parameters(db)
        self._clock = clock.clock(db)

    async def parameters(self) -> Parameters:
        return await programs.current_parameters(self._parameters)

    async def business_date(self) -> date | None:
        return await clock.business_date(self._clock)


class AccountUseCases:
    """Base of the use cases that change billing accounts (one document per continuity order)."""

    def __init__(
        self,
        db: AsyncDatabase[dict[str, Any]],
        accounts: Documents[BillingAccount],
        reference: Reference,
        outbox: Outbox,
    ) -> None:
        self._db = db
        self._accounts = accounts
        self._reference = reference
        self._outbox = outbox
