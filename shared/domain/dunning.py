"""Payment attempts for billing items, their results and retries.

Every attempt gets its own request id, `f"{item_id}:a{attempt}"`; all attempts of one
item share its idempotency key, so the payment service can never take the money twice.
Only the result of an item's latest attempt can change it: any other result (an older
attempt, a second report, a result for a settled item) is a `DuplicateResult`.
"""

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from contracts.base import Frozen, Money, PaymentMethod
from contracts.payments import Purpose
from shared.domain.billing import BillingItem
from shared.domain.errors import DomainError


class IgnoredResult(DomainError):
    """A payment result that changes nothing: report it and move on."""


class DuplicateResult(IgnoredResult):
    """A result for an item we know, but not for its latest attempt, or already applied."""


class UnknownResult(IgnoredResult):
    """A result whose request id is not one of ours."""


class InvalidTransition(DomainError):
    """The item's state does not allow this (e.g. requesting a charge already in flight)."""


class Attempt(Frozen):
    """Everything `payment.requested` needs about one attempt; its field names match the contract."""

    payment_request_id: str
    idempotency_key: str
    continuity_order_id: str
    customer_id: str
    amount: Money
    due_date: date
    payment: PaymentMethod
    purpose: Purpose
    attempt: int
    child_order_id: str | None = None


class FailureOutcome(Frozen):
    """What a failure leads to: a retry on `next_attempt_date`, or exhaustion (the order goes on hold)."""

    attempt: int
    exhausted: bool
    next_attempt_date: date | None


def request_id(item: BillingItem, attempt: int) -> str:
    return f"{item.item_id}:a{attempt}"


def item_id_of(payment_request_id: str) -> str:
    """The billing item a payment request id belongs to (the inverse of `request_id`)."""
    item_id, sep, attempt = payment_request_id.rpartition(":a")
    if not sep or not item_id or not attempt.isdigit():
        raise UnknownResult(f"{payment_request_id!r} is not a payment request id of ours")
    return item_id


def requests_due(items: Iterable[BillingItem], business_date: date) -> list[BillingItem]:
    """Items to request on `business_date`: scheduled ones whose request date has come, and retries."""
    due = [item for item in items if (when := _request_date(item)) is not None and when <= business_date]
    return sorted(due, key=lambda item: (item.due_date, item.item_id))


def request(item: BillingItem, business_date: date) -> tuple[BillingItem, Attempt]:
    """The next attempt at a scheduled or failed item (an exhausted one too: a manual retry)."""
    if item.state not in ("scheduled", "failed"):
        raise InvalidTransition(f"billing item {item.item_id} is {item.state}")
    attempt = item.attempt + 1
    requested = item.model_copy(
        update={
            "state": "requested",
            "attempt": attempt,
            "requested_on": business_date,
            "next_attempt_date": None,
        }
    )
    return requested, Attempt(
        payment_request_id=request_id(item, attempt),
        idempotency_key=item.idempotency_key,
        continuity_order_id=item.continuity_order_id,
        customer_id=item.customer_id,
        amount=item.amount,
        due_date=item.due_date,
        payment=item.payment,
        purpose=item.purpose,
        attempt=attempt,
        child_order_id=item.child_order_id,
    )


def succeed(item: BillingItem, payment_request_id: str) -> BillingItem:
    """Settle the item. A late success after a reported failure still counts: money taken is recorded."""
    _check_latest(item, payment_request_id)
    if item.state == "settled":
        raise DuplicateResult(f"billing item {item.item_id} is already settled")
    return item.model_copy(update={"state": "settled", "next_attempt_date": None, "exhausted": False})


def fail(
    item: BillingItem, payment_request_id: str, business_date: date, retry_days: Sequence[int]
) -> tuple[BillingItem, FailureOutcome]:
    """Record a failure; retry `retry_days[k - 1]` days after the first failure, k = failures so far."""
    _check_latest(item, payment_request_id)
    if item.state != "requested":
        raise DuplicateResult(f"billing item {item.item_id} is {item.state}, not awaiting a result")
    first_failure = item.first_failure_date or business_date
    failures = item.attempt
    next_attempt = (
        first_failure + timedelta(days=retry_days[failures - 1]) if failures <= len(retry_days) else None
    )
    failed = item.model_copy(
        update={
            "state": "failed",
            "first_failure_date": first_failure,
            "next_attempt_date": next_attempt,
            "exhausted": next_attempt is None,
        }
    )
    return failed, FailureOutcome(
        attempt=item.attempt, exhausted=next_attempt is None, next_attempt_date=next_attempt
    )


def cancel(item: BillingItem) -> BillingItem:
    """Drop a charge not yet in flight (scheduled or failed); in-flight or settled ones cannot be."""
    if item.state not in ("scheduled", "failed"):
        raise InvalidTransition(f"billing item {item.item_id} is {item.state} and cannot be cancelled")
    return item.model_copy(update={"state": "cancelled", "next_attempt_date": None, "exhausted": False})


def _request_date(item: BillingItem) -> date | None:
    if item.state == "scheduled":
        return item.request_date
    if item.state == "failed":
        return item.next_attempt_date
    return None


def _check_latest(item: BillingItem, payment_request_id: str) -> None:
    if item.attempt < 1 or payment_request_id != request_id(item, item.attempt):
        raise DuplicateResult(
            f"{payment_request_id} is not the latest attempt of billing item {item.item_id}"
        )
