"""Publishes the boundary: `python -m contracts.export DIR` writes one JSON Schema per message type
(`DIR/schemas/<topic>/<type>.json`) and an AsyncAPI 3.0 document (`DIR/asyncapi.json`).

Written by hand from the registry in `contracts.topics` (FastStream's generator would need the
running apps). The output is deterministic: the same contracts give byte-identical files.
Inbound messages are described as the project validates them, outbound ones as it serialises them.
"""

import json
import sys
import types
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from contracts import topics
from contracts.base import SCHEMA_VERSION, Envelope

Direction = Literal["inbound", "outbound", "internal"]

DIRECTIONS: dict[str, Direction] = {
    topics.ADMIN: "inbound",
    topics.SALES_ORDERS: "inbound",
    topics.CLOCK: "inbound",
    topics.COMMANDS: "inbound",
    topics.PAYMENT_RESULTS: "inbound",
    topics.FULFILLMENT_STATUS: "inbound",
    topics.CHILD_ORDERS: "outbound",
    topics.PAYMENT_REQUESTS: "outbound",
    topics.NOTIFICATIONS: "outbound",
    topics.EVENTS: "outbound",
    topics.TICKS: "internal",
}
"""Seen from the project: inbound topics it subscribes to, outbound ones it publishes."""

KEY_DESCRIPTION = "continuity_order_id where one exists, else sales_order_id, else program_id, else message_id"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def message_types(topic: str) -> dict[str, type[Envelope]]:
    """The models a topic carries, by their `type` value, in registry order."""
    kind = topics.MESSAGES[topic]
    members = get_args(kind)[0] if hasattr(kind, "__metadata__") else kind
    if get_origin(members) in (Union, types.UnionType):
        members = get_args(members)
    found = members if isinstance(members, tuple) else (members,)
    return {type_name(model): model for model in found}


def type_name(model: type[Envelope]) -> str:
    (name,) = get_args(model.model_fields["type"].annotation)
    return str(name)


def schema_mode(topic: str) -> JsonSchemaMode:
    return "validation" if DIRECTIONS[topic] == "inbound" else "serialization"


def message_schema(topic: str, model: type[BaseModel]) -> dict[str, Any]:
    """A self-contained JSON Schema (definitions under `$defs`) for one message type."""
    schema = model.model_json_schema(mode=schema_mode(topic))
    return {"$schema": JSON_SCHEMA_DIALECT, **schema}


def schema_files() -> dict[str, dict[str, Any]]:
    """Relative path -> JSON Schema, for every message type of every topic."""
    return {
        f"schemas/{topic}/{name}.json": message_schema(topic, model)
        for topic in topics.MESSAGES
        for name, model in message_types(topic).items()
    }


def _channel_id(topic: str) -> str:
    return topic.replace(".", "_").replace("-", "_")


def _message_id(topic: str, name: str) -> str:
    return f"{_channel_id(topic)}__{name.replace('.', '_')}"


def asyncapi() -> dict[str, Any]:
    """The AsyncAPI 3.0 document: a channel per topic, its messages, and what the project does with it."""
    pairs = [
        ((model, schema_mode(topic)), (topic, name))
        for topic in topics.MESSAGES
        for name, model in message_types(topic).items()
    ]
    refs, definitions = models_json_schema(
        [pair for pair, _ in pairs], ref_template="#/components/schemas/{model}"
    )
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for model_mode, (topic, name) in pairs:
        channel = channels.setdefault(_channel_id(topic), _channel(topic))
        message_id = _message_id(topic, name)
        channel["messages"][message_id] = {"$ref": f"#/components/messages/{message_id}"}
        messages[message_id] = {
            "name": name,
            "title": name,
            "summary": _summary(model_mode[0], name),
            "contentType": "application/json",
            "payload": refs[model_mode],
            "bindings": {"kafka": {"key": {"type": "string", "description": KEY_DESCRIPTION},
                                   "bindingVersion": "0.5.0"}},
        }
    for topic in topics.MESSAGES:
        operations.update(_operations(topic, channels[_channel_id(topic)]))
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "continuity",
            "version": f"{SCHEMA_VERSION}.0.0",
            "description": "Message-driven engine for continuity (recurring order) programs. "
            "Every message is a UTF-8 JSON object with type, message_id, schema_version and occurred_at; "
            "extra fields are ignored; bad input goes to <topic>.dlq.",
        },
        "defaultContentType": "application/json",
        "servers": {"local": {"host": "127.0.0.1:9092", "protocol": "kafka", "description": "infra/stack.sh"}},
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": definitions.get("$defs", {})},
    }


def _summary(model: type[BaseModel], name: str) -> str:
    doc = model.__doc__ or ""
    return doc.strip().splitlines()[0] if doc.strip() else name


def _channel(topic: str) -> dict[str, Any]:
    direction = DIRECTIONS[topic]
    channel: dict[str, Any] = {
        "address": topic,
        "title": topic,
        "description": f"{direction} topic; bad input goes to {topics.dead_letter(topic)}",
        "messages": {},
        "tags": [{"name": direction}],
    }
    if direction == "internal":
        channel["x-internal"] = True
    return channel


def _operations(topic: str, channel: dict[str, Any]) -> dict[str, Any]:
    channel_id = _channel_id(topic)
    refs = [{"$ref": f"#/channels/{channel_id}/messages/{message_id}"} for message_id in channel["messages"]]
    actions = {"inbound": ["receive"], "outbound": ["send"], "internal": ["send", "receive"]}[DIRECTIONS[topic]]
    return {
        f"{action}_{channel_id}": {"action": action, "channel": {"$ref": f"#/channels/{channel_id}"}, "messages": refs}
        for action in actions
    }


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def export(directory: Path) -> list[Path]:
    """Writes every schema and the AsyncAPI document under `directory`; returns the files written."""
    written = []
    for relative, schema in {**schema_files(), "asyncapi.json": asyncapi()}.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_dump(schema), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m contracts.export DIR", file=sys.stderr)
        return 2
    written = export(Path(argv[0]))
    print(f"contracts.export: wrote {len(written)} files under {argv[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
