"""The envelope every message shares, and the value types used across topics."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

SCHEMA_VERSION = 1

Amount = Annotated[
    Decimal,
    Field(description='decimal string, e.g. "12.50"'),
    PlainSerializer(str, return_type=str, when_used="json"),
]
Id = Annotated[str, Field(min_length=1, max_length=200)]


class Frozen(BaseModel):
    """Immutable, ignores unknown fields (producers may add fields)."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class Money(Frozen):
    amount: Amount
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class Envelope(Frozen):
    """Fields every message carries. `message_id` identifies a logical message: same id, same message."""

    type: str
    message_id: Id
    schema_version: Annotated[int, Field(ge=1, le=SCHEMA_VERSION)] = SCHEMA_VERSION
    occurred_at: datetime


class Command(Envelope):
    actor: Id


class OrderCommand(Command):
    continuity_order_id: Id


class ShipTo(Frozen):
    name: str
    line1: str
    line2: str | None = None
    city: str
    postal_code: str
    country: Annotated[str, Field(min_length=2, max_length=2)]


class PaymentMethod(Frozen):
    method: Literal["card", "on_account", "invoice"]
    token: str | None = None


class ProductLine(Frozen):
    item_id: Id
    quantity: Annotated[int, Field(ge=1)]
    unit_price: Amount


__all__ = [
    "SCHEMA_VERSION",
    "Amount",
    "Command",
    "Envelope",
    "Frozen",
    "Id",
    "Money",
    "OrderCommand",
    "PaymentMethod",
    "ProductLine",
    "ShipTo",
    "date",
]
