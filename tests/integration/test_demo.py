"""The demo's story (`python -m shared.demo`) on the five services in a namespace of their own."""

from rich.console import Console

from shared.demo.scenario import run_scenario
from shared.demo.world import ROLES
from tests.integration.system import System


async def test_the_demo_closes_every_order(system: System) -> None:
    outcome = await run_scenario(system.settings, Console(quiet=True))

    assert outcome.problems == []
    assert sorted(outcome.run.orders.values()) == sorted(ROLES)
    assert outcome.closed() == {order_id: "completed" for order_id in outcome.run.orders}
