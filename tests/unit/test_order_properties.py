"""Properties of child order generation under random programs, clock jumps, caps and skips."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.admin import Event, Interval, Program
from contracts.base import ProductLine
from shared.domain.children import extend, generate_children
from shared.domain.commands import skip
from shared.domain.errors import Rejected
from shared.domain.order import Child, Order, due_lines, is_final, needs_extension, open_lines
from shared.domain.program import is_finite, shippable_events
from tests.unit.orders import make_order

intervals = st.one_of(
    st.builds(Interval, unit=st.just("day"), count=st.integers(1, 20)),
    st.builds(Interval, unit=st.just("week"), count=st.integers(1, 6)),
    st.builds(Interval, unit=st.just("month"), count=st.integers(1, 4)),
)
prices = st.decimals(min_value=0, max_value=50, places=2)


@st.composite
def programs(draw: st.DrawFn) -> Program:
    """Valid programs of 1-4 events; the last may be unlimited unless an end event comes before it."""
    count = draw(st.integers(1, 4))
    actions = draw(st.lists(st.sampled_from(["normal", "normal", "skip", "end"]), min_size=count, max_size=count))
    if all(action == "skip" for action in actions):
        actions[0] = "normal"
    evergreen = actions[-1] == "normal" and "end" not in actions and draw(st.booleans())
    events = [
        Event(
            event_id=event_id,
            action=action,
            occurrences=None if evergreen and event_id == count else draw(st.integers(1, 8)),
            interval=draw(intervals),
            lines=[ProductLine(item_id=f"I{event_id}", quantity=draw(st.integers(1, 3)), unit_price=draw(prices))],
        )
        for event_id, action in enumerate(actions, start=1)
    ]
    return Program(
        program_id="P",
        name="p",
        parent_item_id="PARENT",
        currency="EUR",
        events=events,
        days_after_order=draw(st.integers(0, 30)),
        consolidate_past_orders=draw(st.booleans()),
        bill_up_front=not evergreen and draw(st.booleans()),
    )


@dataclass(frozen=True)
class Run:
    program: Program
    start: date
    quantity: int
    threshold: int
    lead_days: int
    steps: list[tuple[int, int | None, str | None]]  # (days to advance, cap, skip mode before the tick)


@st.composite
def runs(draw: st.DrawFn, with_skips: bool = False) -> Run:
    skips = st.sampled_from([None, None, "defer", "forfeit"]) if with_skips else st.just(None)
    step = st.tuples(st.integers(0, 730), st.none() | st.integers(1, 4), skips)
    return Run(
        program=draw(programs()),
        start=draw(st.dates(date(2020, 1, 1), date(2040, 12, 31))),
        quantity=draw(st.integers(1, 3)),
        threshold=draw(st.integers(1, 6)),
        lead_days=draw(st.integers(0, 10)),
        steps=draw(st.lists(step, min_size=1, max_size=12)),
    )


def total_occurrences(p: Program) -> int:
    return sum(event.occurrences or 0 for event in shippable_events(p))


def top_up(order: Order, run: Run) -> Order:
    """What the children service does after generating: extend while below the threshold."""
    if needs_extension(order, run.threshold):
        order, _ = extend(order, run.program, run.threshold - len(open_lines(order)))
    return order


def check_tick(order: Order, run: Run, today: date, cap: int | None) -> tuple[Order, list[Child]]:
    due = due_lines(order, today, run.lead_days)
    after, children = generate_children(order, today, run.lead_days, cap, authorize=False)
    if order.consolidate:
        assert [c.line_nos for c in children] == ([[line.line_no for line in due]] if due else [])
    else:
        assert [c.line_nos for c in children] == [[line.line_no] for line in due][:cap]
    again, more = generate_children(after, today, run.lead_days, cap, authorize=False)
    if sum(len(c.line_nos) for c in children) == len(due):
        assert (again, more) == (after, []), "a repeated tick made another child"
    else:  # the cap cut this tick short: a repeat goes on where it stopped
        assert more[0].line_nos[0] == due[len(children)].line_no
    return after, children


def check_lines(order: Order, run: Run) -> None:
    made = [n for child in order.children for n in child.line_nos]
    assert len(made) == len(set(made)), "a line is in two child orders"
    assert made == sorted(made), "children do not follow line order"
    generated = [line.line_no for line in order.lines if line.state == "generated"]
    assert sorted(made) == generated
    by_id = {child.child_order_id: child for child in order.children}
    for line in order.lines:
        assert (line.state == "generated") == (line.child_order_id is not None)
        if line.child_order_id is not None:
            assert line.line_no in by_id[line.child_order_id].line_nos
    slots = [(line.event_id, line.occurrence) for line in order.lines]
    assert slots == sorted(slots), "lines do not follow event order"
    assert [line.line_no for line in order.lines] == list(range(1, len(order.lines) + 1))
    dates = [line.ship_date for line in order.lines]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)
    if is_finite(run.program):
        assert len(order.lines) <= total_occurrences(run.program)
        if order.complete:
            assert len(order.lines) == total_occurrences(run.program)


def play(run: Run) -> Order:
    order = make_order(run.program, run.start, run.quantity, run.threshold)
    today = run.start
    for days, cap, mode in run.steps:
        if mode is not None:
            try:
                order, _ = skip(order, run.program, mode)  # type: ignore[arg-type]
            except Rejected:
                assert not open_lines(order)
        today += timedelta(days=days)
        order, _ = check_tick(order, run, today, cap)
        order = top_up(order, run)
        check_lines(order, run)
    return order


@settings(max_examples=300, deadline=None)
@given(runs())
def test_children_never_repeat_a_line_and_follow_event_order(run: Run) -> None:
    play(run)


@settings(max_examples=300, deadline=None)
@given(runs(with_skips=True))
def test_skips_keep_every_line_once_and_in_order(run: Run) -> None:
    play(run)


@settings(max_examples=200, deadline=None)
@given(runs(with_skips=True))
def test_a_finite_program_ends_with_every_occurrence_shipped_or_dropped(run: Run) -> None:
    order = play(run)
    if not is_finite(run.program):
        return
    today = max(line.ship_date for line in order.lines)
    while not is_final(order):
        today += timedelta(days=400)
        order, _ = generate_children(order, today, run.lead_days, None, authorize=False)
        order = top_up(order, run)
        check_lines(order, run)
    states = [line.state for line in order.lines]
    assert states.count("generated") + states.count("forfeited") == total_occurrences(run.program)
    shipped = sum((c.total.amount for c in order.children), Decimal(0))
    assert shipped == sum(
        (p.quantity * p.unit_price for line in order.lines if line.state == "generated" for p in line.lines),
        Decimal(0),
    )
