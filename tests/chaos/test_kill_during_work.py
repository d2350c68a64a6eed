"""A service process killed with SIGKILL in the middle of its work loses nothing and duplicates
nothing: after a restart every effect exists exactly once (a message may be seen again, always
with the same id and the same content)."""

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from contracts import topics
from tests.integration import messages as m
from tests.integration.system import System

ROOT = Path(__file__).resolve().parents[2]
ORDERS = 56


def start_of(n: int) -> str:
    """Orders spread over 28 start days: the tick handles each day's orders in a write and publish of
    their own, so the kill after the first child order lands with most of the work still to do."""
    return f"2027-01-{n % 28 + 1:02d}"


def spawn(system: System, name: str, ready: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": system.settings.kafka_bootstrap_servers,
        "MONGODB_URL": system.settings.mongodb_url,
        "MONGODB_DATABASE": system.settings.mongodb_database,
        "TOPIC_PREFIX": system.settings.topic_prefix,
        "READY_FILE": str(ready),
        "LOG_LEVEL": "WARNING",
    }
    ready.unlink(missing_ok=True)
    log = (ready.parent / f"{name}.log").open("ab")
    return subprocess.Popen([sys.executable, "-m", f"services.{name}"], cwd=ROOT, env=env, stdout=log, stderr=log)


async def until_ready(ready: Path) -> None:
    for _ in range(600):
        if ready.exists():
            return
        await asyncio.sleep(0.1)
    log = ready.parent / f"{ready.stem}.log"
    raise AssertionError(f"the service process did not get ready: {log.read_text()[-3000:]}")


def assert_same_content_per_id(records: list[dict[str, object]]) -> None:
    by_id: dict[object, dict[str, object]] = {}
    for record in records:
        assert by_id.setdefault(record["message_id"], record) == record, "one id, two contents"


async def test_children_killed_mid_tick_makes_every_child_order_once(system: System, tmp_path: Path) -> None:
    await system.stop_service("children")
    ready = tmp_path / "children.ready"
    process = spawn(system, "children", ready)
    try:
        await until_ready(ready)
        events = [m.event(i, f"BOOK-{i}") for i in range(1, 4)]
        await system.send(topics.ADMIN, m.upsert("adm-1", m.program("KILL", events)))
        await system.send(topics.CLOCK, m.clock("2027-01-01"))
        for n in range(ORDERS):
            await system.send(
                topics.SALES_ORDERS,
                m.sales_order(f"SO-{n}", "2027-01-01", m.line("1", "KILL-PARENT", start=start_of(n))),
            )
        await system.wait_for(
            lambda: len(system.of(topics.EVENTS, "continuity_order.created")) == ORDERS,
            description="all orders created",
        )
        await system.settle(quiet=1.0)
        await system.send(topics.CLOCK, m.clock("2027-04-01"))
        await system.wait_for(lambda: system.of(topics.CHILD_ORDERS), timeout=60, description="first child order")
        process.send_signal(signal.SIGKILL)
        process.wait()
        made_before_kill = {c["child_order_id"] for c in system.of(topics.CHILD_ORDERS)}

        process = spawn(system, "children", ready)
        await until_ready(ready)
        await system.wait_for(
            lambda: len({c["child_order_id"] for c in system.of(topics.CHILD_ORDERS)}) == 3 * ORDERS,
            timeout=120,
            description="every child order after the restart",
        )
        await system.settle()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)

    children = system.of(topics.CHILD_ORDERS)
    ids = Counter(c["child_order_id"] for c in children)
    assert len(ids) == 3 * ORDERS and made_before_kill < set(ids)
    assert_same_content_per_id(children)
    lines = Counter((c["continuity_order_id"], n) for c in children for n in c["scheduled_line_nos"])
    assert set(lines) == {(f"CO-SO-{n}-1", line) for n in range(ORDERS) for line in (1, 2, 3)}
    charges = Counter(p["child_order_id"] for p in system.of(topics.PAYMENT_REQUESTS, "payment.requested"))
    assert set(charges) == set(ids) and all(count == 1 for count in charges.values())
