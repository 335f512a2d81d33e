"""The funnel maths: the Sales Funnel's aggregates over the deals' funnel facts
(`crm_app.pipeline.facts`).

Pure functions over plain values (stage logs, grouped facts), so the offline tests
state the definitions on hand-made stage logs.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from crm_app.pipeline.facts import decode_stage_set, funnel_facts
from crm_app.pipeline.stages import LOST

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
	"""Reference computation of the report's aggregates straight from the stage
	logs. `current` maps each deal in scope to (its stage now, its grand total).

	Time in a stage is per deal: the time a deal spent in the stage over all its
	visits, averaged over the deals that have left it. Lost-from counts each deal
	once, at the stage of its last loss."""
	by_deal: dict[str, list[StageLog]] = defaultdict(list)
	for log in logs:
		if log.deal in current:
			by_deal[log.deal].append(log)
	facts = {
		deal: funnel_facts([(r.from_stage, r.stage, r.seconds_in_previous_stage) for r in rows])
		for deal, rows in by_deal.items()
	}
	agg = FunnelAggregates()
	reached: dict[str, set[str]] = defaultdict(set)
	seconds: dict[str, list[float]] = defaultdict(list)
	for deal, fact in facts.items():
		for stage in fact.reached:
			reached[stage].add(deal)
		for stage, spent in fact.seconds.items():
			seconds[stage].append(spent)
		if fact.lost_from:
			agg.lost_from[fact.lost_from] = agg.lost_from.get(fact.lost_from, 0) + 1
	for stage, amount in current.values():
		agg.now_count[stage] = agg.now_count.get(stage, 0) + 1
		agg.now_amount[stage] = agg.now_amount.get(stage, 0) + (amount or 0)
	agg.reached = {stage: len(deals) for stage, deals in reached.items()}
	agg.reached_both = {(a, b): len(reached[a] & reached[b]) for a, b in funnel_pairs(states, lost_state)}
	agg.seconds_in_stage = {stage: (sum(v), len(v)) for stage, v in seconds.items()}
	return agg


@dataclass
class FactGroup:
	"""One row of the report's GROUP BY over deals: the deals sharing a stage and
	the same facts, how many, their amount and seconds per standard stage."""

	stage: str
	reached_stages: str
	left_stages: str
	lost_from_stage: str
	count: int
	amount: float
	seconds: dict[str, float]


def aggregate_groups(
	states: list[str],
	groups: Iterable[FactGroup],
	other_seconds: dict[str, tuple[float, int]] | None = None,
	lost_state: str = LOST,
) -> FunnelAggregates:
	"""The funnel's aggregates from the grouped facts. `other_seconds` gives
	(total seconds, deals that left) for stages without a seconds column."""
	agg = FunnelAggregates()
	pairs = funnel_pairs(states, lost_state)
	left_count: dict[str, int] = defaultdict(int)
	seconds: dict[str, float] = defaultdict(float)
	for g in groups:
		agg.now_count[g.stage] = agg.now_count.get(g.stage, 0) + g.count
		agg.now_amount[g.stage] = agg.now_amount.get(g.stage, 0) + (g.amount or 0)
		reached = set(decode_stage_set(g.reached_stages))
		for stage in reached:
			agg.reached[stage] = agg.reached.get(stage, 0) + g.count
		for a, b in pairs:
			if a in reached and b in reached:
				agg.reached_both[(a, b)] = agg.reached_both.get((a, b), 0) + g.count
		for stage in decode_stage_set(g.left_stages):
			left_count[stage] += g.count
		for stage, spent in g.seconds.items():
			seconds[stage] += spent or 0
		if g.lost_from_stage:
			agg.lost_from[g.lost_from_stage] = agg.lost_from.get(g.lost_from_stage, 0) + g.count
	for pair in pairs:
		agg.reached_both.setdefault(pair, 0)
	agg.seconds_in_stage = {
		stage: (seconds.get(stage, 0), count) for stage, count in left_count.items() if stage in seconds
	}
	agg.seconds_in_stage.update(other_seconds or {})
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
