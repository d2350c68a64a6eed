"""`continuity.internal.ticks.v1`: between the project's own services, not public."""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from contracts.base import Envelope


class BusinessDateAccepted(Envelope):
    """The periods service moved the business date forward from `previous` to `business_date`."""

    type: Literal["business_date.accepted"] = "business_date.accepted"
    business_date: date
    previous: date | None


TickMessage = Annotated[BusinessDateAccepted, Field(discriminator="type")]
