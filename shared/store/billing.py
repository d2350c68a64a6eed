"""Billing accounts: one document per continuity order with its billing items. Written by billing.

Due work is found by equality, one query per date, on `next_action`: the earliest date on which
the account needs a look (a scheduled item's request date, a failed item's retry date, or the due
date of a failed item that does not block the order yet). `billing_items` maps each item id to its
order, so a payment result, which carries only the payment request id, finds its account.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from contracts.base import Money, PaymentMethod
from shared.domain.billing import BillingItem
from shared.domain.billing_status import billing_settled
from shared.store.documents import Documents

CURSOR_ID = "billing"
DUPLICATE_KEY = 11000


class BillingAccount(BaseModel):
    """The charges of one continuity order and what they mean for it.

    `on_hold`: an item ran out of retries. `held_from`: the hold the children service was last told
    (from that business date on; None: not held). `as_of`: the latest business date handled.
    `refund_owed` is the price of the lines cancelled on a prepaid order; `refunds` are the refunds
    requested for it so far (they wait until no charge is in flight).
    """

    model_config = ConfigDict(frozen=True)

    continuity_order_id: str
    customer_id: str
    payment: PaymentMethod
    currency: str | None
    prepaid: bool
    items: list[BillingItem] = []
    on_hold: bool = False
    held_from: date | None = None
    cancelled: bool = False
    as_of: date | None = None
    cancel_reason: str | None = None
    refund_owed: Money | None = None
    refunds: list[Money] = []
    settled_reported: bool = False

    def item(self, item_id: str) -> BillingItem | None:
        return next((item for item in self.items if item.item_id == item_id), None)

    def replace(self, changed: BillingItem) -> "BillingAccount":
        items = [changed if item.item_id == changed.item_id else item for item in self.items]
        return self.model_copy(update={"items": items})


class BillingCursor(BaseModel):
    """How far the ticks have looked: accounts with `next_action` up to `through` are handled."""

    model_config = ConfigDict(frozen=True)

    through: date | None = None


def next_action(account: BillingAccount) -> date | None:
    dates = [item.request_date for item in account.items if item.state == "scheduled"]
    dates += [item.next_attempt_date for item in account.items if item.state == "failed" and item.next_attempt_date]
    return min(dates, default=None)


def _index(account: BillingAccount) -> dict[str, Any]:
    when = next_action(account)
    return {"next_action": when.isoformat() if when else None}


def accounts(db: AsyncDatabase[dict[str, Any]]) -> Documents[BillingAccount]:
    return Documents(db["billing"], BillingAccount, _index)


def cursor(db: AsyncDatabase[dict[str, Any]]) -> Documents[BillingCursor]:
    return Documents(db["billing_cursor"], BillingCursor)


async def remember_items(db: AsyncDatabase[dict[str, Any]], items: Iterable[BillingItem]) -> None:
    """Record item -> order before the account is saved; an item already recorded is fine."""
    docs = [{"_id": item.item_id, "continuity_order_id": item.continuity_order_id} for item in items]
    if not docs:
        return
    try:
        await db["billing_items"].insert_many(docs, ordered=False)
    except BulkWriteError as error:
        if any(e.get("code") != DUPLICATE_KEY for e in error.details.get("writeErrors", [])):
            raise


async def order_of_item(db: AsyncDatabase[dict[str, Any]], item_id: str) -> str | None:
    doc = await db["billing_items"].find_one({"_id": item_id})
    return None if doc is None else str(doc["continuity_order_id"])


async def earliest(db: AsyncDatabase[dict[str, Any]]) -> date | None:
    """Only for the very first tick, when no cursor exists yet (a full scan on FerretDB)."""
    doc = await db["billing"].find_one({"next_action": {"$ne": None}}, sort=[("next_action", 1)])
    return None if doc is None else date.fromisoformat(doc["next_action"])


async def is_settled(db: AsyncDatabase[dict[str, Any]], order_id: str) -> bool:
    """Billing of the order is settled: it has an account and nothing is left to collect.

    An order not billed up front may still get a charge for a child order billing has not
    seen yet; callers that need that certainty check it after the last child order.
    """
    stored = await accounts(db).get(order_id)
    return stored is not None and billing_settled(stored.state.items)


async def ensure_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    await db["billing"].create_index("next_action")
    await db["billing"].create_index("outbox_pending")
