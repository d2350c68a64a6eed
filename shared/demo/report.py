"""The demo's closing words: messages per topic, a short timeline per order, and what went wrong."""

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from contracts.topics import CHILD_ORDERS, EVENTS, PAYMENT_REQUESTS, PAYMENT_RESULTS
from shared.demo import facts
from shared.demo.bus import Seen
from shared.demo.scenario import Outcome

Record = dict[str, Any]


def print_outcome(console: Console, outcome: Outcome) -> None:
    console.print(_counts(outcome))
    for order_id, role in sorted(outcome.run.orders.items(), key=lambda item: item[0]):
        console.print(_timeline(order_id, role, outcome.messages))
    if outcome.problems:
        console.print("[bold red]problems:[/bold red]")
        for problem in outcome.problems:
            console.print(f"  - {problem}", markup=False)
    else:
        console.print(f"[bold green]every order closed as expected[/bold green] ({outcome.seconds:.0f}s)")


def _counts(outcome: Outcome) -> Table:
    table = Table(title=f"run {outcome.run.run_id}: messages per topic")
    table.add_column("topic")
    table.add_column("messages", justify="right")
    counted = facts.counts(outcome.messages)
    for topic, count in sorted(counted.items()):
        table.add_row(topic, str(count))
    table.add_row("[bold]total[/bold]", f"[bold]{sum(counted.values())}[/bold]")
    return table


def _timeline(order_id: str, role: str, messages: list[Seen]) -> Tree:
    tree = Tree(f"[bold]{order_id}[/bold] ({role.replace('_', ' ')})")
    results = {s.body["payment_request_id"]: s.body for s in messages
               if s.topic == PAYMENT_RESULTS and "payment_request_id" in s.body}
    for seen in facts.of_order(messages, order_id):
        body, day = seen.body, seen.business_date.isoformat() if seen.business_date else "?"
        kind = (seen.topic, body.get("type"))
        if kind == (EVENTS, "continuity_order.created"):
            tree.add(f"{day} created, start {body['start_date']}, {len(body['scheduled_lines'])} lines scheduled")
        elif kind == (CHILD_ORDERS, "child_order.created"):
            items = ", ".join(line["item_id"] for line in body["lines"])
            tree.add(f"{day} child order {body['child_order_id']} ships {body['ship_date']}: {items} "
                     f"({_money(body['total'])}{', prepaid' if body['prepaid'] else ''})")
        elif kind == (PAYMENT_REQUESTS, "payment.requested"):
            result = results.get(body["payment_request_id"], {})
            outcome = {"payment.succeeded": "[green]succeeded[/green]", "payment.failed": "[red]declined[/red]"}
            tree.add(f"{day} payment {body['purpose']} {_money(body['amount'])} due {body['due_date']} "
                     f"attempt {body['attempt']}: {outcome.get(result.get('type', ''), 'unanswered')}")
        elif kind == (EVENTS, "order.on_hold"):
            tree.add(f"{day} [red]on hold[/red]: {body['reason']}")
        elif kind == (EVENTS, "order.hold_released"):
            tree.add(f"{day} [green]hold released[/green]")
        elif kind == (EVENTS, "continuity_order.closed"):
            tree.add(f"{day} [bold]closed[/bold] ({body['reason']})")
    return tree


def _money(money: Record) -> str:
    return f"{money['amount']} {money['currency']}"
