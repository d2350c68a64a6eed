"""`continuity.clock.v1`: the business date, moved only by these messages."""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from contracts.base import Envelope


class BusinessDateAdvanced(Envelope):
    type: Literal["business_date.advanced"]
    business_date: date


ClockMessage = Annotated[BusinessDateAdvanced, Field(discriminator="type")]
