"""The demo's story against running services: programs and parameters, three sales orders, then the
business date month by month (and on the day of each payment retry) until every order closed,
while the demo answers for the payment service and the warehouse."""

import asyncio
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from pymongo import AsyncMongoClient
from rich.console import Console

from contracts.topics import ADMIN, CLOCK, EVENTS, SALES_ORDERS, TICKS
from shared.cli.messages import clock
from shared.cli.status import read_business_date
from shared.demo import facts, world
from shared.demo.bus import Bus, Seen
from shared.demo.outside import Outside
from shared.settings import Settings

FIRST_DATE = date(2027, 1, 1)
QUIET_S = 1.0
MAX_ADVANCES = 30
EXTRA_DAYS = 3
"""Days the demo may add at the end for work still in flight (a late retry) before it gives up."""


@dataclass
class Outcome:
    run: world.Run
    messages: list[Seen] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def closed(self) -> dict[str, str]:
        return {s.body["continuity_order_id"]: s.body["reason"] for s in self.messages
                if s.topic == EVENTS and s.body.get("type") == "continuity_order.closed"}


class Scenario:
    def __init__(self, bus: Bus, run: world.Run, console: Console) -> None:
        self.bus, self.run, self.console = bus, run, console
        self.outside = Outside(bus, run)

    async def settle(self, timeout: float = 60.0) -> None:
        """Answer requests until the run's messages stop coming for `QUIET_S` seconds."""
        deadline, count, quiet_since = time.monotonic() + timeout, -1, time.monotonic()
        while time.monotonic() < deadline:
            await self.outside.answer()
            now = len(facts.mine(self.run, self.bus))
            if now != count:
                count, quiet_since = now, time.monotonic()
            elif time.monotonic() - quiet_since >= QUIET_S:
                return
            await asyncio.sleep(0.1)
        raise TimeoutError(f"the run did not settle within {timeout:.0f}s")

    async def advance(self, day: date) -> None:
        self.bus.business_date = day
        await self.bus.send(CLOCK, clock(day))
        self.run.advanced.append(day)

        def done() -> bool:
            return bool(self.bus.of(TICKS, "business_date.accepted", business_date=day.isoformat())
                        or self.bus.of(EVENTS, "business_date.ignored", business_date=day.isoformat()))

        await self.bus.wait_for(done, f"business date {day}", while_waiting=self.outside.answer)
        if self.bus.of(EVENTS, "business_date.ignored", business_date=day.isoformat()):
            raise RuntimeError(f"the business date moved past {day} meanwhile (another clock is running)")
        await self.settle()
        self.console.print(f"  business date {day}: {len(facts.mine(self.run, self.bus))} messages so far")

    async def setup(self) -> None:
        for upsert in world.upserts(self.run):
            await self.bus.send(ADMIN, upsert)
        await self.bus.wait_for(lambda: self._programs_answered(), "program.accepted")
        rejected = [m for m in self.bus.of(EVENTS, "program.rejected") if m["program_id"] in self.run.programs]
        if rejected:
            raise RuntimeError(f"program rejected: {rejected[0]['reason']} {rejected[0].get('problems')}")
        params = world.parameters(self.run)
        await self.bus.send(ADMIN, params)
        marker = params["message_id"]
        await self.bus.wait_for(lambda: [m for m in self.bus.of(EVENTS) if marker in m.get("message_id", "")],
                                "parameters.accepted")

    async def place_orders(self) -> None:
        for order in world.sales_orders(self.run):
            await self.bus.send(SALES_ORDERS, order)

        def answered() -> bool:
            self.outside.learn_orders()
            rejected = [m for m in self.bus.of(EVENTS, "continuity_order.rejected")
                        if m["sales_order_id"] in self.run.sales_orders]
            if rejected:
                raise RuntimeError(f"order rejected: {rejected[0]['sales_order_id']}: {rejected[0]['reason']}")
            return len(self.run.orders) == len(world.ROLES)

        await self.bus.wait_for(answered, "continuity_order.created for every sales order")
        await self.settle()

    async def play(self) -> None:
        """Advance to the next ship date or payment retry date, until nothing is left to happen."""
        today = self.run.start
        for _ in range(MAX_ADVANCES):
            upcoming = sorted(d for d in self._dates_ahead() if d > today)
            if not upcoming:
                break
            today = max(upcoming[0], today + timedelta(days=1))
            await self.advance(today)
        for _ in range(EXTRA_DAYS):
            if len(self.closed()) == len(self.run.orders):
                return
            today += timedelta(days=1)
            self.console.print(f"  not every order closed yet; one more day: {today}")
            await self.advance(today)

    def closed(self) -> set[str]:
        return {m["continuity_order_id"] for m in self.bus.of(EVENTS, "continuity_order.closed")
                if m["continuity_order_id"] in self.run.orders}

    def _dates_ahead(self) -> set[date]:
        dates: set[date] = set()
        for created in self.bus.of(EVENTS, "continuity_order.created"):
            if created["continuity_order_id"] in self.run.orders:
                dates.update(date.fromisoformat(line["ship_date"]) for line in created["scheduled_lines"])
        for declined in self.bus.of(EVENTS, "payment.declined"):
            if declined["continuity_order_id"] in self.run.orders and declined.get("next_attempt_date"):
                dates.add(date.fromisoformat(declined["next_attempt_date"]))
        return dates

    def _programs_answered(self) -> bool:
        answered = {m["program_id"] for m in self.bus.of(EVENTS) if m.get("type") in
                    ("program.accepted", "program.rejected") and m.get("program_id") in self.run.programs}
        return answered == self.run.programs


async def current_business_date(settings: Settings) -> date | None:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.mongodb_url, timeoutMS=10_000)
    try:
        return await read_business_date(settings, client)
    finally:
        await client.close()


async def run_scenario(settings: Settings, console: Console | None = None) -> Outcome:
    """The whole story on the deployment `settings` names; the outcome lists what went wrong."""
    console = console or Console(quiet=True)
    started = time.monotonic()
    business_date = await current_business_date(settings)
    run = world.Run(world.new_run_id(), business_date + timedelta(days=1) if business_date else FIRST_DATE)
    outcome = Outcome(run)
    console.print(f"[bold]demo run {run.run_id}[/bold]: starting on business date {run.start}")
    bus = Bus(settings)
    try:
        await bus.start()
    except BaseException:
        await bus.stop()
        raise
    try:
        scenario = Scenario(bus, run, console)
        await scenario.advance(run.start)
        await scenario.setup()
        await scenario.place_orders()
        await scenario.play()
    except (TimeoutError, RuntimeError) as error:
        outcome.problems.append(f"stopped: {error}")
    finally:
        await bus.stop()
        outcome.messages = facts.mine(run, bus)
        outcome.problems.extend(facts.problems(run, outcome.messages))
        outcome.seconds = time.monotonic() - started
    return outcome

