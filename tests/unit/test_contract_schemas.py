"""The published boundary: schema files for every message type, the boundary.md examples, tolerance
of extra fields, rejection of missing fields and newer schema versions, and the AsyncAPI document."""

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from contracts import topics
from contracts.export import DIRECTIONS, asyncapi, export, message_types, schema_files

# Copied from docs/boundary.md ("Examples (required fields; more may be added)").
BOUNDARY_EXAMPLES: list[tuple[str, str]] = [
    (topics.ADMIN, """
{"type": "program.upsert", "message_id": "adm-1", "schema_version": 1, "occurred_at": "2027-01-01T00:00:00Z",
 "program": {"program_id": "BOOKCLUB", "name": "Book of the month", "parent_item_id": "BOOKCLUB-PARENT",
   "active": true, "order_start": "first_event", "program_start_date": null, "days_after_order": 0,
   "prompt_for_start_date": true, "consolidate_past_orders": false, "bill_up_front": false,
   "payment_schedule": null, "currency": "EUR",
   "events": [
     {"event_id": 1, "action": "normal", "occurrences": 1, "interval": {"unit": "month", "count": 1},
      "lines": [{"item_id": "BOOK-1", "quantity": 1, "unit_price": "12.50"}]},
     {"event_id": 2, "action": "end", "occurrences": 1, "interval": {"unit": "month", "count": 1},
      "lines": [{"item_id": "BOOK-2", "quantity": 1, "unit_price": "12.50"}]}]}}
"""),
    (topics.ADMIN, """
{"type": "parameters.set", "message_id": "adm-2", "schema_version": 1, "occurred_at": "2027-01-01T00:00:00Z",
 "parameters": {"delivery_lead_days": 0, "repeat_threshold": 12, "max_child_orders_per_run": 0,
   "authorize_child_orders": false, "on_account_bill_days": 0, "payment_retry_days": [1, 3, 7]}}
"""),
    (topics.SALES_ORDERS, """
{"type": "sales_order.placed", "message_id": "so-1001", "schema_version": 1, "occurred_at": "2027-01-05T09:30:00Z",
 "sales_order_id": "SO-1001", "customer_id": "C-42", "order_date": "2027-01-05",
 "ship_to": {"name": "Ada L.", "line1": "1 Main St", "city": "Aarhus", "postal_code": "8000", "country": "DK"},
 "payment": {"method": "card", "token": "tok_visa_4242"},
 "lines": [{"line_id": "1", "item_id": "BOOKCLUB-PARENT", "quantity": 1,
            "requested_start_date": null, "payment_schedule": null}]}
"""),
    (topics.CLOCK, """
{"type": "business_date.advanced", "message_id": "clk-2027-02-05", "schema_version": 1,
 "occurred_at": "2027-02-05T00:00:00Z", "business_date": "2027-02-05"}
"""),
    (topics.COMMANDS, """
{"type": "order.skip", "message_id": "cmd-7", "schema_version": 1, "occurred_at": "2027-01-20T10:00:00Z",
 "continuity_order_id": "<id from continuity_order.created>", "mode": "defer", "actor": "agent-17"}
"""),
    (topics.PAYMENT_RESULTS, """
{"type": "payment.failed", "message_id": "pay-res-9", "schema_version": 1, "occurred_at": "2027-02-05T00:01:00Z",
 "payment_request_id": "<id from payment.requested>", "reason": "card_declined"}
"""),
    (topics.FULFILLMENT_STATUS, """
{"type": "child_order.invoiced", "message_id": "ful-3", "schema_version": 1, "occurred_at": "2027-02-07T00:00:00Z",
 "child_order_id": "<id from child_order.created>"}
"""),
]

EXAMPLES = [(topic, json.loads(text)) for topic, text in BOUNDARY_EXAMPLES]
EXAMPLE_IDS = [example["type"] for _, example in EXAMPLES]
CLOCK_EXAMPLE = EXAMPLES[3][1]


def test_every_message_type_in_the_registry_has_a_schema_file(tmp_path: Path) -> None:
    export(tmp_path)
    for topic in topics.MESSAGES:
        for name in message_types(topic):
            schema = json.loads((tmp_path / "schemas" / topic / f"{name}.json").read_text())
            assert schema["properties"]["type"]["const"] == name
    assert (tmp_path / "asyncapi.json").is_file()


def test_every_topic_has_a_direction() -> None:
    assert set(DIRECTIONS) == set(topics.MESSAGES)


@pytest.mark.parametrize(("topic", "example"), EXAMPLES, ids=EXAMPLE_IDS)
def test_boundary_examples_validate_against_the_contracts(topic: str, example: dict[str, Any]) -> None:
    message = topics.ADAPTERS[topic].validate_python(example)
    assert message.type == example["type"]


@pytest.mark.parametrize(("topic", "example"), EXAMPLES, ids=EXAMPLE_IDS)
def test_boundary_examples_carry_every_field_their_schema_requires(topic: str, example: dict[str, Any]) -> None:
    schema = schema_files()[f"schemas/{topic}/{example['type']}.json"]
    assert set(schema["required"]) <= set(example)


def test_a_message_with_extra_fields_is_accepted() -> None:
    message = topics.ADAPTERS[topics.CLOCK].validate_python({**CLOCK_EXAMPLE, "added_later": {"x": 1}})
    assert str(message.business_date) == "2027-02-05"


@pytest.mark.parametrize("field", ["message_id", "occurred_at", "business_date", "type"])
def test_a_message_missing_a_required_field_is_rejected(field: str) -> None:
    incomplete = {key: value for key, value in CLOCK_EXAMPLE.items() if key != field}
    with pytest.raises(ValidationError):
        topics.ADAPTERS[topics.CLOCK].validate_python(incomplete)


def test_a_newer_schema_version_is_rejected() -> None:
    with pytest.raises(ValidationError, match="schema_version"):
        topics.ADAPTERS[topics.CLOCK].validate_python({**CLOCK_EXAMPLE, "schema_version": 2})


def test_an_unknown_type_is_rejected() -> None:
    with pytest.raises(ValidationError):
        topics.ADAPTERS[topics.CLOCK].validate_python({**CLOCK_EXAMPLE, "type": "business_date.rewound"})


def test_asyncapi_has_a_channel_per_topic_with_its_messages_and_direction() -> None:
    document = asyncapi()
    assert document["asyncapi"] == "3.0.0"
    channels = {channel["address"]: channel for channel in document["channels"].values()}
    assert set(channels) == set(topics.MESSAGES)
    names = {topic: {document["components"]["messages"][ref["$ref"].rsplit("/", 1)[1]]["name"]
                     for ref in channel["messages"].values()} for topic, channel in channels.items()}
    assert names == {topic: set(message_types(topic)) for topic in topics.MESSAGES}
    actions = {(op["channel"]["$ref"], op["action"]) for op in document["operations"].values()}
    by_address = {f"#/channels/{key}": channel["address"] for key, channel in document["channels"].items()}
    assert {(by_address[ref], action) for ref, action in actions} == {
        *((topics.ADMIN, "receive"), (topics.SALES_ORDERS, "receive"), (topics.CLOCK, "receive")),
        *((topics.COMMANDS, "receive"), (topics.PAYMENT_RESULTS, "receive"), (topics.FULFILLMENT_STATUS, "receive")),
        *((topics.CHILD_ORDERS, "send"), (topics.PAYMENT_REQUESTS, "send"), (topics.NOTIFICATIONS, "send")),
        (topics.EVENTS, "send"), (topics.TICKS, "send"), (topics.TICKS, "receive"),
    }
    assert channels[topics.TICKS]["x-internal"] is True


def test_every_reference_in_the_asyncapi_document_resolves() -> None:
    document = asyncapi()

    def refs(node: Any) -> list[str]:
        if isinstance(node, dict):
            own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
            return own + [ref for value in node.values() for ref in refs(value)]
        if isinstance(node, list):
            return [ref for value in node for ref in refs(value)]
        return []

    for ref in refs(document):
        target: Any = document
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        assert isinstance(target, dict)


def test_the_export_is_deterministic(tmp_path: Path) -> None:
    first = {path.relative_to(tmp_path / "a"): path.read_bytes() for path in export(tmp_path / "a")}
    second = {path.relative_to(tmp_path / "b"): path.read_bytes() for path in export(tmp_path / "b")}
    assert first == second
