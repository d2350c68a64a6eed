"""Rich tables for what the CLI reads: messages, dead letters, offsets, status."""

import json
from datetime import UTC, datetime

from rich.table import Table

from shared.cli.kafka import OffsetMove, Record, Sent
from shared.cli.status import Status

PREVIEW = 100


def _when(timestamp_ms: int) -> str:
    return datetime.fromtimestamp(timestamp_ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")


def _summary(value: bytes) -> tuple[str, str, str]:
    """(type, message_id, the other fields compactly) of a JSON message, or the raw bytes' start."""
    try:
        body = json.loads(value)
    except ValueError:
        return "?", "?", value[:PREVIEW].decode(errors="replace")
    if not isinstance(body, dict):
        return "?", "?", json.dumps(body)[:PREVIEW]
    rest = {k: v for k, v in body.items() if k not in ("type", "message_id", "schema_version", "occurred_at")}
    text = json.dumps(rest, separators=(",", ":"), ensure_ascii=False)
    return str(body.get("type", "?")), str(body.get("message_id", "?")), text[:PREVIEW] + (
        "…" if len(text) > PREVIEW else ""
    )


def messages(topic: str, records: list[Record]) -> Table:
    table = Table(title=f"{topic}: {len(records)} message(s)")
    for column in ("p:offset", "time (UTC)", "key", "type", "message_id", "fields"):
        table.add_column(column, overflow="fold")
    for r in records:
        type_, message_id, rest = _summary(r.value)
        table.add_row(f"{r.partition}:{r.offset}", _when(r.timestamp_ms), r.key or "", type_, message_id, rest)
    return table


def dead_letters(topic: str, records: list[Record]) -> Table:
    table = Table(title=f"{topic}: {len(records)} dead letter(s)")
    for column in ("p:offset", "time (UTC)", "source", "service", "error_type", "error", "value"):
        table.add_column(column, overflow="fold")
    for r in records:
        h = r.headers
        source = f"{h.get('source_topic', '?')} {h.get('source_partition', '?')}:{h.get('source_offset', '?')}"
        table.add_row(f"{r.partition}:{r.offset}", _when(r.timestamp_ms), source, h.get("service", ""),
                      h.get("error_type", ""), _error(h.get("error", "")), r.value[:PREVIEW].decode(errors="replace"))
    return table


def _error(text: str) -> str:
    """The error header without pydantic's links, one problem a line."""
    lines = [" ".join(line.split()) for line in text.splitlines() if "errors.pydantic.dev" not in line]
    return "\n".join(line for line in lines if line)[:400]


def sent(topic: str, items: list[Sent]) -> Table:
    table = Table(title=f"sent to {topic}")
    for column in ("message_id", "key", "partition", "offset"):
        table.add_column(column)
    for item in items:
        table.add_row(item.message_id, item.key, str(item.partition), str(item.offset))
    return table


def offsets(topic: str, group_id: str, moves: list[OffsetMove]) -> Table:
    table = Table(title=f"{group_id} on {topic}")
    for column in ("partition", "committed before", "committed now"):
        table.add_column(column)
    for move in moves:
        table.add_row(str(move.partition), "-" if move.before is None else str(move.before), str(move.after))
    return table


def status(found: Status, bootstrap: str, mongodb_url: str, database: str) -> Table:
    table = Table(title="continuity status", show_header=False)
    table.add_column("what")
    table.add_column("value")
    table.add_row("broker", f"{_mark(found.broker)} ({bootstrap})")
    table.add_row("topics", f"{found.topics_present}/{found.topics_expected} present")
    table.add_row("store", f"{_mark(found.store)} ({mongodb_url} db {database})")
    table.add_row("business date", found.business_date.isoformat() if found.business_date else "not set")
    orders = ", ".join(f"{state} {count}" for state, count in found.orders.items()) or "-"
    table.add_row("orders", f"{sum(found.orders.values())} ({orders})")
    table.add_row("orders closed", f"{found.closed} (continuity_order.closed sent)")
    return table


def _mark(state: str) -> str:
    return "[green]ok[/green]" if state == "ok" else f"[red]{state}[/red]"
