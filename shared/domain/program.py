"""Program rules: what makes a program (and the call-center parameters) valid, and its price.

The rule checks return every problem as a readable sentence, so that a rejection can
list them all at once; an empty list means valid.
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal

from contracts.admin import Event, Parameters, Program
from contracts.base import ProductLine
from shared.domain.installments import CENT


def shippable_events(program: Program) -> list[Event]:
    """The events that ship, in order: up to and including the first `end` event, without `skip` ones."""
    shipped: list[Event] = []
    for event in program.events:
        if event.action != "skip":
            shipped.append(event)
        if event.action == "end":
            break
    return shipped


def is_finite(program: Program) -> bool:
    return all(event.occurrences is not None for event in shippable_events(program))


def lines_total(lines: Iterable[ProductLine]) -> Decimal:
    """Price of one shipment of these lines: the sum of quantity * unit price."""
    return sum((line.unit_price * line.quantity for line in lines), Decimal("0"))


def program_total(program: Program, quantity: int, starting_event_id: int = 1) -> Decimal | None:
    """The program's price for an order of `quantity` that starts at `starting_event_id` (a
    `current_event` order joins part way); None when it never ends (unlimited)."""
    total = Decimal("0")
    for event in shippable_events(program):
        if event.event_id < starting_event_id:
            continue
        if event.occurrences is None:
            return None
        total += event.occurrences * lines_total(event.lines) * quantity
    return total


def program_problems(
    program: Program,
    parent_items_of_other_active_programs: set[str],
    all_parent_items: set[str],
) -> list[str]:
    """Every rule `program` breaks, as sentences. `all_parent_items` are those of all programs."""
    return [
        *_event_id_problems(program.events),
        *_event_problems(program.events),
        *_sequence_problems(program),
        *_timing_problems(program),
        *_billing_problems(program),
        *_item_problems(
            program, parent_items_of_other_active_programs, all_parent_items | {program.parent_item_id}
        ),
    ]


def parameters_problems(p: Parameters) -> list[str]:
    """Every rule the call-center parameters break, as sentences."""
    problems = [
        f"{name} must not be negative, got {value}"
        for name, value in (
            ("delivery_lead_days", p.delivery_lead_days),
            ("max_child_orders_per_run", p.max_child_orders_per_run),
            ("on_account_bill_days", p.on_account_bill_days),
        )
        if value < 0
    ]
    if p.repeat_threshold < 1:
        problems.append(f"repeat_threshold must be at least 1, got {p.repeat_threshold}")
    if any(days < 1 for days in p.payment_retry_days):
        problems.append(f"payment_retry_days must all be positive, got {p.payment_retry_days}")
    if any(a >= b for a, b in zip(p.payment_retry_days, p.payment_retry_days[1:], strict=False)):
        problems.append(f"payment_retry_days must be strictly increasing, got {p.payment_retry_days}")
    return problems


def _event_id_problems(events: Sequence[Event]) -> list[str]:
    if not events:
        return ["the program has no events"]
    ids = [event.event_id for event in events]
    if ids != list(range(1, len(ids) + 1)):
        return [f"event ids must run 1, 2, 3 ... in order without gaps, got {ids}"]
    return []


def _event_problems(events: Sequence[Event]) -> list[str]:
    problems: list[str] = []
    for event in events:
        name = f"event {event.event_id}"
        if event.action != "skip" and not event.lines:
            problems.append(f"{name} ({event.action}) has no lines; only skip events may have none")
        if event.occurrences is not None and event.occurrences < 1:
            problems.append(
                f"{name}: occurrences must be at least 1 or null (unlimited), got {event.occurrences}"
            )
        if event.interval.count < 1:
            problems.append(f"{name}: interval count must be at least 1, got {event.interval.count}")
        if event.action == "end" and event.occurrences is None:
            problems.append(f"{name}: an end event needs a finite number of occurrences")
    return problems


def _sequence_problems(program: Program) -> list[str]:
    shipped = shippable_events(program)
    problems: list[str] = []
    if program.events and not any(event.lines for event in shipped):
        problems.append("the program needs at least one shippable (normal or end) event with lines")
    unlimited = [event.event_id for event in shipped if event.occurrences is None]
    if unlimited and program.bill_up_front:
        problems.append(f"events {unlimited} have unlimited occurrences, not allowed when billed up front")
    if unlimited:
        followers = [event.event_id for event in program.events if event.event_id > unlimited[0]]
        if followers:
            first = unlimited[0]
            problems.append(f"events {followers} follow unlimited event {first}; nothing can follow it")
    ends = [event.event_id for event in program.events if event.action == "end"]
    if ends:
        after_end = [e.event_id for e in program.events if e.event_id > ends[0] and e.occurrences is None]
        if after_end:
            problems.append(f"events {after_end} have unlimited occurrences after end event {ends[0]}")
    return problems


def _timing_problems(program: Program) -> list[str]:
    problems: list[str] = []
    if program.order_start == "current_event" and program.program_start_date is None:
        problems.append("a program starting customers at the current event needs a program_start_date")
    if program.days_after_order < 0:
        problems.append(f"days_after_order must not be negative, got {program.days_after_order}")
    return problems


def _billing_problems(program: Program) -> list[str]:
    problems: list[str] = []
    schedule = program.payment_schedule
    currency = program.currency
    if not (len(currency) == 3 and currency.isascii() and currency.isalpha() and currency.isupper()):
        problems.append(f"currency must be a 3-letter code such as EUR, got {program.currency!r}")
    if schedule is None:
        return problems
    if not program.bill_up_front:
        problems.append("a payment schedule is only allowed when the program is billed up front")
    if schedule.count < 1:
        problems.append(f"the payment schedule needs at least 1 installment, got {schedule.count}")
    if schedule.interval.count < 1:
        problems.append(
            f"the payment schedule's interval count must be at least 1, got {schedule.interval.count}"
        )
    return problems


def _item_problems(program: Program, taken_parents: set[str], all_parents: set[str]) -> list[str]:
    problems: list[str] = []
    if program.active and program.parent_item_id in taken_parents:
        problems.append(
            f"parent item {program.parent_item_id} is already the parent of another active program"
        )
    for event in program.events:
        for line in event.lines:
            where = f"event {event.event_id}, item {line.item_id}"
            if line.unit_price < 0:
                problems.append(f"{where}: unit price must not be negative, got {line.unit_price}")
            if line.unit_price != line.unit_price.quantize(CENT):
                problems.append(f"{where}: unit price must be whole cents, got {line.unit_price}")
            if line.quantity < 1:
                problems.append(f"{where}: quantity must be at least 1, got {line.quantity}")
            if line.item_id in all_parents:
                problems.append(f"{where}: item is the parent item of a program; programs cannot be nested")
    return problems
