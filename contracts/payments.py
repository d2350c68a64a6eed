"""`payments.requests.v1` (out) and `payments.results.v1` (in): the payment service's boundary."""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from contracts.base import Envelope, Id, Money, PaymentMethod

Purpose = Literal["up_front", "installment", "child_order"]


class PaymentRequested(Envelope):
    """One attempt at one charge. Every attempt of a charge shares `idempotency_key`."""

    type: Literal["payment.requested"] = "payment.requested"
    payment_request_id: Id
    idempotency_key: Id
    continuity_order_id: Id
    customer_id: Id
    amount: Money
    due_date: date
    payment: PaymentMethod
    purpose: Purpose
    attempt: int
    child_order_id: Id | None = None


class RefundRequested(Envelope):
    type: Literal["refund.requested"] = "refund.requested"
    refund_id: Id
    continuity_order_id: Id
    customer_id: Id
    amount: Money
    payment: PaymentMethod
    reason: str


class PaymentSucceeded(Envelope):
    type: Literal["payment.succeeded"]
    payment_request_id: Id


class PaymentFailed(Envelope):
    type: Literal["payment.failed"]
    payment_request_id: Id
    reason: str = "unspecified"


PaymentRequestMessage = Annotated[PaymentRequested | RefundRequested, Field(discriminator="type")]
PaymentResultMessage = Annotated[PaymentSucceeded | PaymentFailed, Field(discriminator="type")]
