"""The CLI's pure part: reading JSON input, checking it against a topic's contract, choosing the
message key, and building the messages that operators send most (programs, clock, order commands)."""

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from pydantic import ValidationError

from contracts.base import Envelope
from contracts.topics import ADAPTERS, CLOCK_KEY, MESSAGES

Record = dict[str, Any]
KEY_FIELDS = ("continuity_order_id", "sales_order_id", "program_id")
"""Clock messages share one key so that several sent in a row stay in order on one partition."""


class InvalidInput(Exception):
    """Input that cannot be sent; `problems` are one line each, ready to print."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Checked:
    """A message ready to send: the JSON as the operator wrote it, and its key."""

    record: Record
    message: Envelope
    key: str

    @property
    def value(self) -> bytes:
        return json.dumps(self.record, separators=(",", ":"), ensure_ascii=False).encode()


def key_of(record: Mapping[str, Any]) -> str:
    """The Kafka key (boundary.md): the continuity order id, else the sales order id, else the program
    id (also inside a `program`), else the message id."""
    for field in KEY_FIELDS:
        if isinstance(record.get(field), str) and record[field]:
            return str(record[field])
    program = record.get("program")
    if isinstance(program, Mapping) and isinstance(program.get("program_id"), str) and program["program_id"]:
        return str(program["program_id"])
    if record.get("type") == "business_date.advanced":
        return CLOCK_KEY
    return str(record.get("message_id", ""))


def parse_records(text: str) -> list[Record]:
    """One JSON object (possibly spread over several lines) or JSON lines, one object per line."""
    stripped = text.strip()
    if not stripped:
        raise InvalidInput(["no input: expected a JSON object or JSON lines"])
    try:
        whole = json.loads(stripped)
    except json.JSONDecodeError:
        return [_parse_line(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not isinstance(whole, dict):
        raise InvalidInput([f"expected a JSON object, got {type(whole).__name__}"])
    return [whole]


def _parse_line(number: int, line: str) -> Record:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise InvalidInput([f"line {number}: invalid JSON: {error.msg} (column {error.colno})"]) from error
    if not isinstance(record, dict):
        raise InvalidInput([f"line {number}: expected a JSON object, got {type(record).__name__}"])
    return record


def known_topic(topic: str) -> str:
    if topic not in MESSAGES:
        raise InvalidInput([f"unknown topic {topic!r}; known topics: {', '.join(MESSAGES)}"])
    return topic


def check(topic: str, records: list[Record]) -> list[Checked]:
    """Every record validated against the topic's contract; all problems reported at once."""
    adapter = ADAPTERS[known_topic(topic)]
    checked: list[Checked] = []
    problems: list[str] = []
    for number, record in enumerate(records, 1):
        where = f"message {number}" if len(records) > 1 else "message"
        try:
            checked.append(Checked(record, adapter.validate_python(record), key_of(record)))
        except ValidationError as error:
            problems.extend(f"{where}: {line}" for line in describe(error))
    if problems:
        raise InvalidInput(problems)
    return checked


def describe(error: ValidationError) -> list[str]:
    """Pydantic's errors, one line each: where, what, and the offending value."""
    lines = []
    for item in error.errors(include_url=False):
        where = ".".join(str(part) for part in item["loc"]) or "(message)"
        given = "" if item["type"] == "missing" else f" (got {json.dumps(item.get('input'), default=str)[:80]})"
        lines.append(f"{where}: {item['msg']}{given}")
    return lines


def now() -> str:
    """When an operator's message was written: the CLI, unlike the services, may read the wall clock."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def program_upsert(program: Record, occurred_at: str) -> Record:
    """`program.upsert` around a program; the message id is a hash of the program, so sending the same
    program twice is recognised as one message."""
    if not isinstance(program, dict):
        raise InvalidInput(["a program must be a JSON object"])
    if program.get("type") == "program.upsert":  # already wrapped
        return program
    canonical = json.dumps(program, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:16]
    program_id = program.get("program_id", "program")
    return {"type": "program.upsert", "message_id": f"adm-{program_id}-{digest}", "schema_version": 1,
            "occurred_at": occurred_at, "program": program}


def clock(business_date: date) -> Record:
    day = business_date.isoformat()
    return {"type": "business_date.advanced", "message_id": f"clk-{day}", "schema_version": 1,
            "occurred_at": f"{day}T00:00:00Z", "business_date": day}


ORDER_ACTIONS = {
    "skip": "order.skip",
    "pause": "order.pause",
    "resume": "order.resume",
    "cancel": "order.cancel",
    "extend": "order.extend_lines",
    "close": "order.close",
    "retry-payment": "order.retry_payment",
}
ACTION_FIELDS = {"skip": {"mode"}, "pause": {"until"}, "cancel": {"reason"}, "extend": {"count"}}


def order_command(
    action: str, order_id: str, actor: str, occurred_at: str, message_id: str | None = None, **fields: Any
) -> Record:
    """A command of `continuity.commands.v1`; options that the action does not take are refused."""
    if action not in ORDER_ACTIONS:
        raise InvalidInput([f"unknown action {action!r}; one of: {', '.join(ORDER_ACTIONS)}"])
    given = {name: value for name, value in fields.items() if value is not None}
    extra = set(given) - ACTION_FIELDS.get(action, set())
    if extra:
        raise InvalidInput([f"{action} takes no --{name}" for name in sorted(extra)])
    if action == "extend" and "count" not in given:
        raise InvalidInput(["extend needs --count"])
    values = {name: value.isoformat() if isinstance(value, date) else value for name, value in given.items()}
    return {"type": ORDER_ACTIONS[action], "message_id": message_id or f"cmd-{uuid.uuid4().hex[:16]}",
            "schema_version": 1, "occurred_at": occurred_at, "continuity_order_id": order_id, "actor": actor,
            **values}

