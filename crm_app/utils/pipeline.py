"""The deal pipeline as data: transitions, frozen stages and the funnel maths.

Pure functions over plain values (state names, transition tuples, stage logs),
so the offline tests feed them hand-made pipelines. The states and transitions
themselves always come from the site's Workflow, never from this module: only
the few states whose rules the issue fixes are named here.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

NEGOTIATION = "Negotiation"
INVOICE_ISSUED = "Invoice Issued"
INVOICE_PAID = "Invoice Paid"
GOODS_SHIPPED = "Goods Shipped"
LOST = "Lost"
LEDGER_STAGES = (INVOICE_ISSUED, INVOICE_PAID, GOODS_SHIPPED)


def ledger_stage(paid: bool, shipped: bool) -> str:
	"""The stage the ledger's facts put an invoiced deal at: shipped goods win
	(a delivery may precede the payment), then payment, else the open invoice."""
	if shipped:
		return GOODS_SHIPPED
	if paid:
		return INVOICE_PAID
	return INVOICE_ISSUED


@dataclass(frozen=True)
class Transition:
	state: str
	action: str
	next_state: str
	allowed: str


def allowed_transitions(transitions: Iterable[Transition], current: str, roles: Iterable[str]):
	roles = set(roles)
	return [t for t in transitions if t.state == current and t.allowed in roles]


def can_move(transitions: Iterable[Transition], current: str, target: str, roles: Iterable[str]) -> bool:
	return any(t.next_state == target for t in allowed_transitions(transitions, current, roles))


def _reachable(start: str, edges: dict[str, set[str]]) -> set[str]:
	seen, stack = set(), [start]
	while stack:
		state = stack.pop()
		for nxt in edges.get(state, ()):
			if nxt not in seen:
				seen.add(nxt)
				stack.append(nxt)
	return seen


def frozen_states(transitions: Iterable[Transition], anchor: str = INVOICE_ISSUED) -> set[str]:
	"""States where a deal's commercial terms are frozen: the anchor (Invoice
	Issued) and every state after it, i.e. reachable from it but from which the
	anchor cannot be reached again. A custom state inserted before the anchor
	(Contract Signed) stays editable; one added after Goods Shipped is frozen."""
	forward: dict[str, set[str]] = defaultdict(set)
	for t in transitions:
		forward[t.state].add(t.next_state)
	after_anchor = _reachable(anchor, forward)
	return {anchor} | {s for s in after_anchor if s != anchor and anchor not in _reachable(s, forward)}


# --- funnel ------------------------------------------------------------------------------------
#
# The report computes the aggregates below with SQL; `aggregate_logs` is the same
# computation on plain rows, so the offline tests can state the definitions on
# hand-made stage logs, and `assemble_funnel` turns the aggregates into rows.


@dataclass
class StageLog:
	deal: str
	from_stage: str | None
	stage: str
	seconds_in_previous_stage: float | None = None


@dataclass
class FunnelAggregates:
	now_count: dict[str, int] = field(default_factory=dict)
	now_amount: dict[str, float] = field(default_factory=dict)
	reached: dict[str, int] = field(default_factory=dict)
	reached_both: dict[tuple[str, str], int] = field(default_factory=dict)
	seconds_in_stage: dict[str, tuple[float, int]] = field(default_factory=dict)  # sum, count
	lost_from: dict[str, int] = field(default_factory=dict)


@dataclass
class FunnelRow:
	stage: str
	current_count: int = 0
	current_amount: float = 0.0
	reached: int = 0
	previous_stage: str | None = None
	conversion: float | None = None  # % of the previous stage's deals that reached this one
	avg_days_in_stage: float | None = None
	lost_from: int = 0  # deals moved to Lost from this stage


def funnel_pairs(states: list[str], lost_state: str = LOST) -> list[tuple[str, str]]:
	"""(previous, stage) for each stage after the first, Lost left out of the chain."""
	chain = [s for s in states if s != lost_state]
	return list(pairwise(chain))


def aggregate_logs(
	states: list[str],
	logs: Iterable[StageLog],
	current: dict[str, tuple[str, float]],
	lost_state: str = LOST,
) -> FunnelAggregates:
	"""Reference computation of the report's aggregates. `current` maps each
	deal in scope to (its stage now, its grand total)."""
	agg = FunnelAggregates()
	reached: dict[str, set[str]] = defaultdict(set)
	seconds: dict[str, list[float]] = defaultdict(list)
	lost_from: dict[str, int] = defaultdict(int)
	for log in logs:
		if log.deal not in current:
			continue
		reached[log.stage].add(log.deal)
		if log.from_stage and log.seconds_in_previous_stage is not None:
			seconds[log.from_stage].append(log.seconds_in_previous_stage)
		if log.stage == lost_state and log.from_stage:
			lost_from[log.from_stage] += 1
	for stage, amount in current.values():
		agg.now_count[stage] = agg.now_count.get(stage, 0) + 1
		agg.now_amount[stage] = agg.now_amount.get(stage, 0) + (amount or 0)
	agg.reached = {stage: len(deals) for stage, deals in reached.items()}
	agg.reached_both = {(a, b): len(reached[a] & reached[b]) for a, b in funnel_pairs(states, lost_state)}
	agg.seconds_in_stage = {stage: (sum(v), len(v)) for stage, v in seconds.items()}
	agg.lost_from = dict(lost_from)
	return agg


def assemble_funnel(states: list[str], agg: FunnelAggregates, lost_state: str = LOST) -> list[FunnelRow]:
	previous = {b: a for a, b in funnel_pairs(states, lost_state)}
	rows = []
	for state in states:
		row = FunnelRow(
			stage=state,
			current_count=int(agg.now_count.get(state, 0)),
			current_amount=round(float(agg.now_amount.get(state, 0) or 0), 2),
			reached=int(agg.reached.get(state, 0)),
			previous_stage=previous.get(state),
			lost_from=int(agg.lost_from.get(state, 0)),
		)
		total, count = agg.seconds_in_stage.get(state, (0, 0))
		if count:
			row.avg_days_in_stage = round(float(total) / count / 86400, 2)
		if row.previous_stage:
			row.conversion = conversion(
				agg.reached.get(row.previous_stage, 0), agg.reached_both.get((row.previous_stage, state), 0)
			)
		rows.append(row)
	return rows


def conversion(previous_reached: int, both_reached: int) -> float | None:
	"""Percentage of the previous stage's deals that reached this one."""
	if not previous_reached:
		return None
	return round(100 * both_reached / previous_reached, 2)
