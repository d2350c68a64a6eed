"""The `continuity` CLI without a broker: key choice, message building, validation and exit codes.
Publishing is replaced by a recorder, so these tests check what would be sent."""

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from contracts.topics import ADAPTERS, ADMIN, CLOCK, COMMANDS, SALES_ORDERS
from shared.cli import kafka, main
from shared.cli.messages import InvalidInput, check, clock, key_of, order_command, parse_records, program_upsert
from shared.settings import Settings
from tests.integration import messages as m

runner = CliRunner()
AT = "2027-01-01T00:00:00Z"


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[Any]]]:
    sent: list[tuple[str, list[Any]]] = []

    async def record(settings: Settings, topic: str, items: list[Any]) -> list[kafka.Sent]:
        sent.append((topic, items))
        return [kafka.Sent(item.key, item.message.message_id, 0, n) for n, item in enumerate(items)]

    monkeypatch.setattr(kafka, "publish", record)
    return sent


def test_the_key_is_the_continuity_order_id_first() -> None:
    assert key_of({"continuity_order_id": "CO-1", "sales_order_id": "SO-1", "message_id": "x"}) == "CO-1"


def test_the_key_falls_back_to_the_sales_order_then_the_program_then_the_message_id() -> None:
    assert key_of({"sales_order_id": "SO-1", "program_id": "P", "message_id": "x"}) == "SO-1"
    assert key_of({"program_id": "P", "message_id": "x"}) == "P"
    assert key_of({"payment_request_id": "r-1", "message_id": "x"}) == "x"


def test_a_program_upsert_is_keyed_by_the_program_inside_it() -> None:
    assert key_of(m.upsert("adm-1", m.program("BOOK", [m.event(1, "B-1")]))) == "BOOK"


def test_clock_messages_share_one_key_so_they_stay_in_order() -> None:
    assert key_of(clock(date(2027, 2, 5))) == key_of(clock(date(2027, 3, 5))) == "clock"


def test_parse_accepts_one_object_over_several_lines_or_json_lines() -> None:
    assert parse_records('{\n "a": 1\n}\n') == [{"a": 1}]
    assert parse_records('{"a": 1}\n\n{"b": 2}\n') == [{"a": 1}, {"b": 2}]


def test_parse_names_the_line_with_invalid_json() -> None:
    with pytest.raises(InvalidInput, match="line 2: invalid JSON"):
        parse_records('{"a": 1}\n{"b": \n')


def test_check_reports_every_problem_of_every_message() -> None:
    bad = [m.clock("2027-02-05"), {**m.clock("2027-02-06"), "business_date": "someday"}, {"type": "nope"}]
    with pytest.raises(InvalidInput) as raised:
        check(CLOCK, bad)
    problems = raised.value.problems
    assert any(p.startswith("message 2: business_date.advanced.business_date") for p in problems)
    assert any(p.startswith("message 3:") for p in problems)
    assert not any(p.startswith("message 1:") for p in problems)


def test_program_upsert_ids_come_from_the_content() -> None:
    body = m.program("BOOK", [m.event(1, "B-1")])
    first, again = program_upsert(body, AT), program_upsert(dict(reversed(body.items())), "2027-05-05T00:00:00Z")
    changed = program_upsert({**body, "name": "renamed"}, AT)
    assert first["message_id"] == again["message_id"] != changed["message_id"]
    assert first["message_id"].startswith("adm-BOOK-")
    ADAPTERS[ADMIN].validate_python(first)


def test_clock_message_is_named_after_its_date() -> None:
    message = clock(date(2027, 2, 5))
    assert message["message_id"] == "clk-2027-02-05"
    assert ADAPTERS[CLOCK].validate_python(message).business_date == date(2027, 2, 5)


@pytest.mark.parametrize(
    ("action", "fields", "expected"),
    [
        ("skip", {"mode": "forfeit"}, {"type": "order.skip", "mode": "forfeit"}),
        ("pause", {"until": date(2027, 3, 1)}, {"type": "order.pause", "until": "2027-03-01"}),
        ("pause", {}, {"type": "order.pause"}),
        ("resume", {}, {"type": "order.resume"}),
        ("cancel", {"reason": "moved"}, {"type": "order.cancel", "reason": "moved"}),
        ("extend", {"count": 3}, {"type": "order.extend_lines", "count": 3}),
        ("close", {}, {"type": "order.close"}),
    ],
)
def test_order_commands_fit_the_contract(action: str, fields: dict[str, Any], expected: dict[str, Any]) -> None:
    command = order_command(action, "CO-1", "agent-17", AT, **fields)
    assert command == {**command, **expected, "continuity_order_id": "CO-1", "actor": "agent-17"}
    ADAPTERS[COMMANDS].validate_python(command)


def test_an_order_command_refuses_options_of_another_action() -> None:
    with pytest.raises(InvalidInput, match="resume takes no --count"):
        order_command("resume", "CO-1", "a", AT, count=2)


def test_send_publishes_valid_json_lines_with_their_keys(tmp_path: Path, published: list[Any]) -> None:
    file = tmp_path / "orders.jsonl"
    orders = [m.sales_order(f"SO-{n}", "2027-01-05", m.line("1", "BOOK-PARENT")) for n in (1, 2)]
    file.write_text("".join(json.dumps(order) + "\n" for order in orders))
    result = runner.invoke(main.app, ["send", SALES_ORDERS, str(file)])
    assert result.exit_code == 0, result.output
    ((topic, items),) = published
    assert topic == SALES_ORDERS and [item.key for item in items] == ["SO-1", "SO-2"]
    assert json.loads(items[0].value) == orders[0]


def test_send_refuses_an_invalid_message_with_pydantic_errors_and_exit_2(published: list[Any]) -> None:
    order = m.sales_order("SO-1", "2027-01-05", m.line("1", "BOOK-PARENT"))
    del order["customer_id"]
    result = runner.invoke(main.app, ["send", SALES_ORDERS, "-"], input=json.dumps({**order, "schema_version": 2}))
    assert result.exit_code == 2
    assert "customer_id: Field required" in result.output
    assert "schema_version: Input should be less than or equal to 1" in result.output
    assert published == []


def test_send_refuses_an_unknown_topic(published: list[Any]) -> None:
    result = runner.invoke(main.app, ["send", "sales.orders.v9", "-"], input="{}")
    assert result.exit_code == 2 and "unknown topic" in result.output


def test_clock_command_sends_business_date_advanced(published: list[Any]) -> None:
    result = runner.invoke(main.app, ["clock", "2027-02-05"])
    assert result.exit_code == 0, result.output
    ((topic, (item,)),) = published
    assert (topic, item.message.message_id, item.key) == (CLOCK, "clk-2027-02-05", "clock")


def test_clock_command_refuses_a_bad_date(published: list[Any]) -> None:
    assert runner.invoke(main.app, ["clock", "05/02/2027"]).exit_code == 2
    assert published == []


def test_program_upsert_command_wraps_a_program_file(tmp_path: Path, published: list[Any]) -> None:
    file = tmp_path / "program.json"
    file.write_text(json.dumps(m.program("BOOK", [m.event(1, "B-1", action="end")])))
    result = runner.invoke(main.app, ["program", "upsert", str(file)])
    assert result.exit_code == 0, result.output
    ((topic, (item,)),) = published
    assert topic == ADMIN and item.message.type == "program.upsert" and item.key == "BOOK"


def test_order_command_sends_a_skip_defaulting_to_defer(published: list[Any]) -> None:
    result = runner.invoke(main.app, ["order", "skip", "CO-SO-1-1", "--actor", "agent-17"])
    assert result.exit_code == 0, result.output
    ((topic, (item,)),) = published
    assert topic == COMMANDS and item.record["mode"] == "defer" and item.key == "CO-SO-1-1"


def test_order_command_with_a_bad_option_exits_2(published: list[Any]) -> None:
    result = runner.invoke(main.app, ["order", "extend", "CO-1"])
    assert result.exit_code == 2 and "extend needs --count" in result.output
    result = runner.invoke(main.app, ["order", "skip", "CO-1", "--mode", "later"])
    assert result.exit_code == 2 and "order.skip.mode" in result.output
    assert published == []


def test_replay_needs_exactly_one_target() -> None:
    result = runner.invoke(main.app, ["replay", COMMANDS, "--group", "children"])
    assert result.exit_code == 2 and "exactly one of" in result.output
