"""Bring one account up to a business date: request what is due, tell the children service when the
order's hold changes, and refund a cancelled prepaid order once nothing is in flight.
Every use case ends with it, so an account never lags behind the date it was last handled on.

Refund rule (decision): the customer keeps the lines not cancelled, worth the billed total less
the cancelled lines' price (`refund_owed`); what was settled beyond that is refunded, never more
than was settled. It is decided once no charge is in flight, and again if money still arrives
after that (a late success of a charge that had failed): each refund covers what the earlier did not.
"""

from datetime import date, datetime
from decimal import Decimal

from contracts.base import Money
from services.billing import messages
from shared.domain.billing_status import billing_settled, held_from, order_on_hold
from shared.domain.dunning import request, requests_due
from shared.messaging.outgoing import Outgoing
from shared.store.billing import BillingAccount

Collected = tuple[BillingAccount, list[Outgoing]]


def collect(account: BillingAccount, today: date, cause: str, at: datetime) -> Collected:
    """`cause` names what made this happen (a request id, a tick date): it makes hold message ids unique."""
    out: list[Outgoing] = []
    if not account.cancelled:
        for item in requests_due(account.items, today):
            item, attempt = request(item, today)
            account = account.replace(item)
            out += messages.requested(attempt, at)
    account, changes = _reassess(account, today, cause, at)
    account, refund = _refund(account, at)
    account, settled = _settlement(account, at)
    return account, out + changes + refund + settled


def _settlement(account: BillingAccount, at: datetime) -> Collected:
    """Say once each time nothing is left to collect, so closing can close the order."""
    settled = billing_settled(account.items)
    if settled == account.settled_reported:
        return account, []
    account = account.model_copy(update={"settled_reported": settled})
    return account, messages.billing_settled(account, at) if settled else []


def _reassess(account: BillingAccount, today: date, cause: str, at: datetime) -> Collected:
    as_of = max(today, account.as_of) if account.as_of else today
    if account.cancelled:
        return account.model_copy(update={"on_hold": False, "held_from": None, "as_of": as_of}), []
    on_hold = order_on_hold(account.items)
    hold = held_from(account.items)
    after = account.model_copy(update={"on_hold": on_hold, "held_from": hold, "as_of": as_of})
    if hold is not None and on_hold and not account.on_hold:
        return after, messages.on_hold(after, "payment retries exhausted", hold, cause, at, notify=True)
    if hold == account.held_from:
        return after, []
    if hold is None:
        return after, messages.hold_released(after, cause, at)
    return after, messages.on_hold(after, "a due payment failed", hold, cause, at, notify=False)


def _refund(account: BillingAccount, at: datetime) -> Collected:
    owed = account.refund_owed
    if not account.cancelled or owed is None:
        return account, []
    if any(item.state == "requested" for item in account.items):
        return account, []  # wait: an in-flight charge may still take money
    billed = sum((item.amount.amount for item in account.items), Decimal(0))
    paid = sum((item.amount.amount for item in account.items if item.state == "settled"), Decimal(0))
    refunded = sum((refund.amount for refund in account.refunds), Decimal(0))
    amount = min(paid, paid - (billed - owed.amount)) - refunded
    if amount <= 0:
        return account, []
    refund = Money(amount=amount, currency=owed.currency)
    done = account.model_copy(update={"refunds": [*account.refunds, refund]})
    return done, messages.refund(done, refund, account.cancel_reason or "cancelled", at)
