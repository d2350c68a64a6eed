"""`continuity`: the operators' command line. Each command reads `Settings` (the services' env vars),
checks its input against the contracts before anything is sent, and delegates to a module here.

Exit codes: 0 done, 1 broker/store trouble, 2 bad input (invalid message, unknown topic, bad option).
"""

import asyncio
import getpass
import logging
import sys
from collections.abc import Coroutine
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from aiokafka.errors import KafkaError  # type: ignore[import-untyped]
from rich.console import Console

from contracts.topics import MESSAGES, dead_letter
from shared.cli import kafka, messages, render, status
from shared.messaging.topic_admin import ensure_topics
from shared.settings import Settings

T = TypeVar("T")
BAD_INPUT, UNAVAILABLE = 2, 1
SERVICES = ("intake", "periods", "children", "billing", "closing")

app = typer.Typer(help="Operate a continuity deployment: send messages, read topics, check its state.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
program_app = typer.Typer(help="Programs (continuity.admin.v1).", no_args_is_help=True)
topics_app = typer.Typer(help="The project's topics.", no_args_is_help=True)
app.add_typer(program_app, name="program")
app.add_typer(topics_app, name="topics")
out = Console()
err = Console(stderr=True, soft_wrap=True)
logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # its connection warnings repeat our error


def fail(code: int, *lines: str) -> NoReturn:
    for line in lines:
        err.print(line, markup=False, highlight=False)
    raise typer.Exit(code)


def on_broker(settings: Settings, work: Coroutine[Any, Any, T]) -> T:
    """Runs broker/store work; unreachable servers become a clear message and exit code 1."""
    try:
        return asyncio.run(work)
    except kafka.UnknownTopic as error:
        fail(BAD_INPUT, f"error: {error}")
    except kafka.CommitRefused as error:
        fail(UNAVAILABLE, f"error: {error}")
    except (KafkaError, OSError) as error:
        fail(UNAVAILABLE, f"error: broker {settings.kafka_bootstrap_servers}: {error or type(error).__name__}")


def read_input(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    if not path.is_file():
        fail(BAD_INPUT, f"error: no such file: {source}")
    return path.read_text(encoding="utf-8")


def send_checked(topic: str, records: list[messages.Record]) -> None:
    try:
        checked = messages.check(topic, records)
    except messages.InvalidInput as error:
        fail(BAD_INPUT, f"invalid input for {topic}, nothing sent:", *(f"  {p}" for p in error.problems))
    settings = Settings()
    sent = on_broker(settings, kafka.publish(settings, topic, checked))
    out.print(render.sent(settings.topics.name(topic), sent))


def records_of(text: str) -> list[messages.Record]:
    try:
        return messages.parse_records(text)
    except messages.InvalidInput as error:
        fail(BAD_INPUT, *(f"error: {p}" for p in error.problems))


@app.command()
def send(
    topic: Annotated[str, typer.Argument(help="logical topic, e.g. sales.orders.v1")],
    source: Annotated[str, typer.Argument(metavar="FILE|-", help="a JSON object or JSON lines; - for stdin")],
) -> None:
    """Validate and publish one message or JSON lines to TOPIC."""
    known_or_fail(topic)
    send_checked(topic, records_of(read_input(source)))


@program_app.command("upsert")
def program_upsert(source: Annotated[str, typer.Argument(metavar="FILE|-", help="a program as JSON")]) -> None:
    """Publish a program as program.upsert (message id from the program's content hash)."""
    records = records_of(read_input(source))
    try:
        wrapped = [messages.program_upsert(record, messages.now()) for record in records]
    except messages.InvalidInput as error:
        fail(BAD_INPUT, *(f"error: {p}" for p in error.problems))
    send_checked("continuity.admin.v1", wrapped)


@app.command()
def clock(business_date: Annotated[datetime, typer.Argument(metavar="DATE", formats=["%Y-%m-%d"])]) -> None:
    """Move the business date to DATE (business_date.advanced, message id clk-DATE)."""
    send_checked("continuity.clock.v1", [messages.clock(business_date.date())])


@app.command()
def order(
    action: Annotated[str, typer.Argument(help=f"one of: {', '.join(messages.ORDER_ACTIONS)}")],
    order_id: Annotated[str, typer.Argument(help="the continuity order id")],
    mode: Annotated[str | None, typer.Option(help="skip: defer or forfeit")] = None,
    until: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="pause: until this date")] = None,
    reason: Annotated[str | None, typer.Option(help="cancel: why")] = None,
    count: Annotated[int | None, typer.Option(help="extend: how many lines")] = None,
    actor: Annotated[str | None, typer.Option(help="who asks (default: cli:<user>)")] = None,
    message_id: Annotated[str | None, typer.Option(help="to resend the same command safely")] = None,
) -> None:
    """Send a customer-service command for one continuity order."""
    if action == "skip" and mode is None:
        mode = "defer"
    try:
        record = messages.order_command(
            action, order_id, actor or f"cli:{getpass.getuser()}", messages.now(), message_id,
            mode=mode, until=until.date() if until else None, reason=reason, count=count,
        )
    except messages.InvalidInput as error:
        fail(BAD_INPUT, *(f"error: {p}" for p in error.problems))
    send_checked("continuity.commands.v1", [record])


@app.command()
def tail(
    topic: Annotated[str, typer.Argument(help="logical topic (a .dlq topic too)")],
    from_beginning: Annotated[bool, typer.Option("--from-beginning", help="the first messages, not the last")] = False,
    limit: Annotated[int, typer.Option(min=1, help="how many messages")] = 20,
) -> None:
    """Print a topic's last (or first) messages as a table."""
    known_or_fail(topic.removesuffix(".dlq"))
    settings = Settings()
    records = on_broker(settings, kafka.read(settings, topic, from_beginning=from_beginning, limit=limit))
    out.print(render.messages(settings.topics.name(topic), records))


@app.command()
def dlq(
    topic: Annotated[str, typer.Argument(help="the source topic (or its .dlq)")],
    limit: Annotated[int, typer.Option(min=1, help="how many dead letters, newest last")] = 50,
) -> None:
    """List the dead letters of TOPIC with the error headers they carry."""
    source = known_or_fail(topic.removesuffix(".dlq"))
    settings = Settings()
    records = on_broker(settings, kafka.read(settings, dead_letter(source), from_beginning=False, limit=limit))
    out.print(render.dead_letters(settings.topics.name(dead_letter(source)), records))


@app.command()
def replay(
    topic: Annotated[str, typer.Argument(help="logical topic")],
    group: Annotated[str, typer.Option(help=f"a service ({', '.join(SERVICES)}) or a consumer group id")],
    to_beginning: Annotated[bool, typer.Option("--to-beginning")] = False,
    to_offset: Annotated[int | None, typer.Option(min=0, help="commit this offset (clamped per partition)")] = None,
    partition: Annotated[int | None, typer.Option(min=0, help="only this partition")] = None,
) -> None:
    """Reset a consumer group's offsets on TOPIC so that the service processes it again.
    Stop the service first: Kafka refuses offset commits for a group with running members."""
    known_or_fail(topic)
    if to_beginning == (to_offset is not None):
        fail(BAD_INPUT, "error: give exactly one of --to-beginning and --to-offset")
    settings = Settings()
    group_id = settings.group_id(group) if group in SERVICES else group
    moves = on_broker(settings, kafka.reset_offsets(settings, topic, group_id, to_offset, partition))
    out.print(render.offsets(settings.topics.name(topic), group_id, moves))


@topics_app.command("create")
def topics_create(
    partitions: Annotated[int | None, typer.Option(min=1, help="default: TOPIC_PARTITIONS")] = None,
) -> None:
    """Create every topic and dead-letter topic that does not exist yet."""
    settings = Settings()
    names = settings.topics.all_with_dead_letters()
    on_broker(settings, ensure_topics(settings, names, partitions or settings.topic_partitions, timeout_s=10))
    out.print(f"{len(names)} topics present on {settings.kafka_bootstrap_servers}")


@topics_app.command("list")
def topics_list() -> None:
    """The logical topics and the message types each carries."""
    from contracts.export import DIRECTIONS, message_types

    for topic in MESSAGES:
        out.print(f"[bold]{topic}[/bold] ({DIRECTIONS[topic]}): {', '.join(message_types(topic))}")


@app.command("status")
def show_status() -> None:
    """Broker and store reachability, the business date, and order counts."""
    settings = Settings()
    found = asyncio.run(status.probe(settings))
    out.print(render.status(found, settings.kafka_bootstrap_servers, settings.mongodb_url, settings.mongodb_database))
    if not found.healthy:
        raise typer.Exit(UNAVAILABLE)


def known_or_fail(topic: str) -> str:
    try:
        return messages.known_topic(topic)
    except messages.InvalidInput as error:
        fail(BAD_INPUT, *(f"error: {p}" for p in error.problems))


if __name__ == "__main__":
    app()
