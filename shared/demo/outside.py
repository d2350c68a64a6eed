"""The systems around the project, played by the demo: a payment service that settles every
payment request (declining one order's first attempt, to show dunning), and a warehouse that ships
and invoices every child order. They answer only the run's own requests."""

from datetime import date
from typing import Any

from contracts.topics import CHILD_ORDERS, EVENTS, FULFILLMENT_STATUS, PAYMENT_REQUESTS, PAYMENT_RESULTS
from shared.demo.bus import Bus
from shared.demo.world import FAILS_FIRST_PAYMENT, Run

Record = dict[str, Any]


class Outside:
    def __init__(self, bus: Bus, run: Run) -> None:
        self.bus = bus
        self.run = run
        self.answered: set[str] = set()
        self.declined: set[str] = set()

    def learn_orders(self) -> None:
        for created in self.bus.of(EVENTS, "continuity_order.created"):
            role = self.run.sales_orders.get(created["sales_order_id"])
            if role:
                self.run.orders[created["continuity_order_id"]] = role

    def unanswered(self) -> list[Record]:
        self.learn_orders()
        requests = [r for r in self.bus.of(PAYMENT_REQUESTS, "payment.requested")
                    if r["continuity_order_id"] in self.run.orders and r["payment_request_id"] not in self.answered]
        children = [c for c in self.bus.of(CHILD_ORDERS, "child_order.created")
                    if c["continuity_order_id"] in self.run.orders and c["child_order_id"] not in self.answered]
        return requests + children

    async def answer(self) -> None:
        for message in self.unanswered():
            if message["type"] == "payment.requested":
                await self._pay(message)
            else:
                await self._fulfil(message)

    async def _pay(self, request: Record) -> None:
        request_id = request["payment_request_id"]
        order_id = request["continuity_order_id"]
        decline = self.run.orders[order_id] == FAILS_FIRST_PAYMENT and request["attempt"] == 1 and not self.declined
        result: Record = {
            "type": "payment.failed" if decline else "payment.succeeded",
            "message_id": f"demo-pay-{request_id}", "schema_version": 1, "occurred_at": self._now(),
            "payment_request_id": request_id,
            "continuity_order_id": order_id,  # an extra field: lets the key keep one order's results in order
        }
        if decline:
            result["reason"] = "card_declined"
            self.declined.add(request_id)
        await self.bus.send(PAYMENT_RESULTS, result)
        self.answered.add(request_id)

    async def _fulfil(self, child: Record) -> None:
        child_id = child["child_order_id"]
        for step in ("shipped", "invoiced"):
            await self.bus.send(FULFILLMENT_STATUS, {
                "type": f"child_order.{step}", "message_id": f"demo-{step}-{child_id}", "schema_version": 1,
                "occurred_at": self._now(), "child_order_id": child_id,
                "continuity_order_id": child["continuity_order_id"],
            })
        self.answered.add(child_id)

    def _now(self) -> str:
        day = self.bus.business_date or date(2027, 1, 1)
        return f"{day.isoformat()}T12:00:00Z"
