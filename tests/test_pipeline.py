"""Stage rules and funnel maths on hand-made pipelines and stage logs."""

import json
from pathlib import Path

from crm_app.analytics.funnel import (
	FactGroup,
	StageLog,
	aggregate_groups,
	aggregate_logs,
	assemble_funnel,
	conversion,
	funnel_pairs,
)
from crm_app.pipeline.facts import (
	STAGE_SECONDS_FIELDS,
	decode_stage_set,
	encode_stage_set,
	funnel_facts,
	funnel_key,
)
from crm_app.pipeline.stages import (
	CREDITED,
	OPEN,
	PAID,
	Transition,
	allowed_transitions,
	can_move,
	frozen_states,
	settlement,
)

SEED = json.loads((Path(__file__).parent.parent / "crm_app" / "pipeline" / "deal_pipeline.json").read_text())
STATES = [s["state"] for s in SEED["states"]]
TRANSITIONS = [
	Transition(t["state"], t["action"], t["next_state"], role)
	for t in SEED["transitions"]
	for role in t["allowed"]
]


def with_contract_signed():
	"""An administrator's pipeline: Contract Signed between Negotiation and Invoice Issued."""
	states = [*STATES[:2], "Contract Signed", *STATES[2:]]
	transitions = [t for t in TRANSITIONS if t.action != "Issue Invoice"] + [
		Transition("Negotiation", "Sign Contract", "Contract Signed", "Sales User"),
		Transition("Contract Signed", "Issue Invoice", "Invoice Issued", "Sales User"),
	]
	return states, transitions


def test_seed_names_are_the_issue_names():
	assert STATES == [
		"Request Received",
		"Negotiation",
		"Invoice Issued",
		"Invoice Paid",
		"Goods Shipped",
		"Lost",
	]
	actions = {(t.action, t.state, t.next_state) for t in TRANSITIONS}
	assert actions == {
		("Start Negotiation", "Request Received", "Negotiation"),
		("Issue Invoice", "Negotiation", "Invoice Issued"),
		("Confirm Payment", "Invoice Issued", "Invoice Paid"),
		("Ship Goods", "Invoice Paid", "Goods Shipped"),
		("Mark Lost", "Request Received", "Lost"),
		("Mark Lost", "Negotiation", "Lost"),
		("Reopen", "Lost", "Negotiation"),
		("Back to Negotiation", "Invoice Issued", "Negotiation"),
	}


def test_roles_per_action():
	sales_user = {t.action for t in TRANSITIONS if t.allowed == "Sales User"}
	assert sales_user == {"Start Negotiation", "Issue Invoice", "Mark Lost", "Reopen", "Back to Negotiation"}
	assert {t.action for t in TRANSITIONS if t.allowed == "Sales Manager"} == {t.action for t in TRANSITIONS}
	erpnext = {(t["action"], r) for t in SEED["transitions"] for r in t.get("erpnext_allowed", [])}
	assert erpnext == {("Confirm Payment", "Accounts User"), ("Ship Goods", "Stock User")}


def test_no_skipping():
	user = ["Sales User"]
	assert can_move(TRANSITIONS, "Request Received", "Negotiation", user)
	assert not can_move(TRANSITIONS, "Request Received", "Invoice Issued", user)
	assert not can_move(TRANSITIONS, "Negotiation", "Goods Shipped", ["Sales Manager"])
	assert not can_move(TRANSITIONS, "Invoice Issued", "Invoice Paid", user)
	assert can_move(TRANSITIONS, "Invoice Issued", "Invoice Paid", ["Sales Manager"])
	assert not can_move(TRANSITIONS, "Invoice Paid", "Lost", ["Sales Manager"])
	assert [t.action for t in allowed_transitions(TRANSITIONS, "Lost", user)] == ["Reopen"]


def test_frozen_states():
	assert frozen_states(TRANSITIONS) == {"Invoice Issued", "Invoice Paid", "Goods Shipped"}
	_, custom = with_contract_signed()
	assert "Contract Signed" not in frozen_states(custom)
	delivered = [*TRANSITIONS, Transition("Goods Shipped", "Confirm Delivery", "Delivered", "Sales User")]
	assert "Delivered" in frozen_states(delivered)


def logs_fixture():
	"""Five deals, times in seconds:
	A: RR -(100)-> N -(200)-> II -(300)-> IP -(400)-> GS
	B: RR -(50)-> N -(150)-> II
	C: RR -(10)-> N -(20)-> Lost
	D: RR -(30)-> Lost
	E: RR
	"""
	rows = [
		("A", None, "Request Received", None),
		("A", "Request Received", "Negotiation", 100),
		("A", "Negotiation", "Invoice Issued", 200),
		("A", "Invoice Issued", "Invoice Paid", 300),
		("A", "Invoice Paid", "Goods Shipped", 400),
		("B", None, "Request Received", None),
		("B", "Request Received", "Negotiation", 50),
		("B", "Negotiation", "Invoice Issued", 150),
		("C", None, "Request Received", None),
		("C", "Request Received", "Negotiation", 10),
		("C", "Negotiation", "Lost", 20),
		("D", None, "Request Received", None),
		("D", "Request Received", "Lost", 30),
		("E", None, "Request Received", None),
	]
	logs = [StageLog(*row) for row in rows]
	current = {
		"A": ("Goods Shipped", 1000.0),
		"B": ("Invoice Issued", 500.0),
		"C": ("Lost", 70.0),
		"D": ("Lost", 0.0),
		"E": ("Request Received", 10.5),
	}
	return logs, current


def test_funnel_from_hand_made_logs():
	logs, current = logs_fixture()
	rows = {r.stage: r for r in assemble_funnel(STATES, aggregate_logs(STATES, logs, current))}
	assert [(r.current_count, r.current_amount, r.reached) for r in rows.values()] == [
		(1, 10.5, 5),  # Request Received
		(0, 0, 3),  # Negotiation
		(1, 500, 2),  # Invoice Issued
		(0, 0, 1),  # Invoice Paid
		(1, 1000, 1),  # Goods Shipped
		(2, 70, 2),  # Lost
	]
	assert rows["Request Received"].conversion is None
	assert rows["Negotiation"].conversion == 60.0  # 3 of 5
	assert rows["Invoice Issued"].conversion == round(100 * 2 / 3, 2)
	assert rows["Invoice Paid"].conversion == 50.0
	assert rows["Goods Shipped"].conversion == 100.0
	assert rows["Lost"].conversion is None and rows["Lost"].previous_stage is None
	# times: RR left by A, B, C, D after 100, 50, 10, 30 s; N left by A, B, C after 200, 150, 20 s
	assert rows["Request Received"].avg_days_in_stage == round(190 / 4 / 86400, 2)
	assert rows["Negotiation"].avg_days_in_stage == round(370 / 3 / 86400, 2)
	assert rows["Goods Shipped"].avg_days_in_stage is None
	assert {s: r.lost_from for s, r in rows.items() if r.lost_from} == {
		"Request Received": 1,
		"Negotiation": 1,
	}


def test_days_are_days():
	logs = [
		StageLog("X", None, "Request Received"),
		StageLog("X", "Request Received", "Negotiation", 3 * 86400),
	]
	rows = assemble_funnel(STATES, aggregate_logs(STATES, logs, {"X": ("Negotiation", 0)}))
	assert rows[0].avg_days_in_stage == 3.0


def test_custom_stage_in_the_funnel():
	states, _ = with_contract_signed()
	assert funnel_pairs(states)[1:3] == [
		("Negotiation", "Contract Signed"),
		("Contract Signed", "Invoice Issued"),
	]
	logs = [
		StageLog("A", None, "Request Received"),
		StageLog("A", "Request Received", "Negotiation", 10),
		StageLog("A", "Negotiation", "Contract Signed", 10),
		StageLog("B", None, "Request Received"),
		StageLog("B", "Request Received", "Negotiation", 10),
	]
	current = {"A": ("Contract Signed", 100.0), "B": ("Negotiation", 50.0)}
	rows = {r.stage: r for r in assemble_funnel(states, aggregate_logs(states, logs, current))}
	assert rows["Contract Signed"].reached == 1
	assert rows["Contract Signed"].conversion == 50.0
	assert rows["Invoice Issued"].previous_stage == "Contract Signed"
	assert rows["Invoice Issued"].conversion == 0.0


def test_deals_out_of_scope_are_ignored():
	logs, current = logs_fixture()
	del current["A"]
	rows = {r.stage: r for r in assemble_funnel(STATES, aggregate_logs(STATES, logs, current))}
	assert rows["Goods Shipped"].reached == 0
	assert rows["Request Received"].reached == 4


def test_conversion_edge_cases():
	assert conversion(0, 0) is None
	assert conversion(3, 0) == 0.0
	assert conversion(3, 3) == 100.0


def groups_from_facts(logs, current):
	"""What the report's GROUP BY returns, computed by hand from per-deal facts."""
	by_deal = {}
	for log in logs:
		by_deal.setdefault(log.deal, []).append((log.from_stage, log.stage, log.seconds_in_previous_stage))
	groups = {}
	for deal, (stage, amount) in current.items():
		fields = funnel_facts(by_deal.get(deal, [])).as_fields()
		key = (stage, fields["reached_stages"], fields["left_stages"], fields["lost_from_stage"])
		group = groups.setdefault(key, FactGroup(*key, count=0, amount=0, seconds={}))
		group.count += 1
		group.amount += amount
		for s, fieldname in STAGE_SECONDS_FIELDS.items():
			group.seconds[s] = group.seconds.get(s, 0) + fields[fieldname]
	return list(groups.values())


def revisiting_logs():
	"""F goes back and forth: RR -(10)-> N -(20)-> II -(30)-> N -(40)-> Lost -(50)-> N."""
	rows = [
		("F", None, "Request Received", None),
		("F", "Request Received", "Negotiation", 10),
		("F", "Negotiation", "Invoice Issued", 20),
		("F", "Invoice Issued", "Negotiation", 30),
		("F", "Negotiation", "Lost", 40),
		("F", "Lost", "Negotiation", 50),
	]
	return [StageLog(*row) for row in rows], {"F": ("Negotiation", 7.0)}


def test_facts_of_a_deal_that_goes_back_and_forth():
	logs, _ = revisiting_logs()
	facts = funnel_facts([(r.from_stage, r.stage, r.seconds_in_previous_stage) for r in logs])
	assert facts.reached == ["Request Received", "Negotiation", "Invoice Issued", "Lost"]
	assert facts.left == ["Request Received", "Negotiation", "Invoice Issued", "Lost"]
	assert facts.seconds == {"Request Received": 10, "Negotiation": 60, "Invoice Issued": 30, "Lost": 50}
	assert facts.lost_from == "Negotiation"
	fields = facts.as_fields()
	assert fields["reached_stages"] == "|Request Received|Negotiation|Invoice Issued|Lost|"
	assert fields["seconds_in_negotiation"] == 60 and fields["seconds_in_goods_shipped"] == 0
	assert decode_stage_set(fields["left_stages"]) == facts.left
	assert encode_stage_set([]) == "" and decode_stage_set(None) == []


def test_grouped_facts_give_the_same_funnel_as_the_logs():
	logs, current = logs_fixture()
	more_logs, more_current = revisiting_logs()
	logs, current = logs + more_logs, {**current, **more_current}
	expected = assemble_funnel(STATES, aggregate_logs(STATES, logs, current))
	got = assemble_funnel(STATES, aggregate_groups(STATES, groups_from_facts(logs, current)))
	assert got == expected
	rows = {r.stage: r for r in got}
	assert rows["Negotiation"].avg_days_in_stage == round((200 + 150 + 20 + 60) / 4 / 86400, 2)
	assert rows["Lost"].avg_days_in_stage == round(50 / 86400, 2)


def test_stages_without_a_seconds_column_take_their_times_from_outside():
	states, _ = with_contract_signed()
	logs = [
		StageLog("X", None, "Request Received"),
		StageLog("X", "Request Received", "Negotiation", 86400),
		StageLog("X", "Negotiation", "Contract Signed", 86400),
		StageLog("X", "Contract Signed", "Invoice Issued", 2 * 86400),
	]
	current = {"X": ("Invoice Issued", 5.0)}
	groups = groups_from_facts(logs, current)
	rows = {r.stage: r for r in assemble_funnel(states, aggregate_groups(states, groups))}
	assert rows["Contract Signed"].reached == 1 and rows["Contract Signed"].avg_days_in_stage is None
	agg = aggregate_groups(states, groups, other_seconds={"Contract Signed": (2 * 86400, 1)})
	rows = {r.stage: r for r in assemble_funnel(states, agg)}
	assert rows["Contract Signed"].avg_days_in_stage == 2.0
	assert rows["Invoice Issued"].conversion == 100.0


def test_funnel_key_is_stable_and_tells_facts_apart():
	fields = funnel_facts([(None, "Request Received", None), ("Request Received", "Lost", 5)]).as_fields()
	assert fields["funnel_key"] == funnel_key(
		"|Request Received|Lost|", "|Request Received|", "Request Received"
	)
	assert 0 < fields["funnel_key"] < 2**63
	keys = {
		funnel_key("|A|B|", "|A|", ""),
		funnel_key("|A|B|", "|A|B|", ""),
		funnel_key("|A|B|", "|A|", "A"),
		funnel_key("|A|", "|A|B|", ""),
	}
	assert len(keys) == 4
	assert funnel_key("", "", "") == 0


def test_the_current_stage_was_entered_at_the_last_row():
	rows = [
		(None, "Request Received", None, "2026-01-01 10:00"),
		("Request Received", "Negotiation", 60, "2026-01-02 09:00"),
	]
	assert funnel_facts(rows).as_fields()["stage_entered_at"] == "2026-01-02 09:00"
	assert funnel_facts(row[:3] for row in rows).as_fields()["stage_entered_at"] is None


def test_settlement_payments_not_credit_notes():
	assert settlement(500, 0, 0) == OPEN
	assert settlement(500, 0, 499.99) == OPEN
	assert settlement(500, 0, 500) == PAID
	assert settlement(500, 0, 499.996) == PAID  # half a kopeck
	# a credit note for the whole invoice brings the outstanding amount to zero: not paid
	assert settlement(500, 500, 0) == CREDITED
	assert settlement(500, 500, 500) == CREDITED
	# a partial credit note and the rest paid
	assert settlement(500, 200, 300) == PAID
	assert settlement(500, 200, 299) == OPEN
	assert settlement(0, 0, 0) == OPEN


def test_paid_at_follows_the_current_state():
	t = [f"2026-11-{d:02d} 10:00:00" for d in range(1, 8)]
	paid = funnel_facts(
		[
			(None, "Request Received", None, t[0]),
			("Request Received", "Negotiation", 1, t[1]),
			("Negotiation", "Invoice Issued", 1, t[2]),
			("Invoice Issued", "Invoice Paid", 1, t[3]),
		]
	)
	assert paid.paid_at == t[3]
	shipped = funnel_facts([*_rows(t[:4]), ("Invoice Paid", "Goods Shipped", 1, t[4])])
	assert shipped.paid_at == t[3]
	# a cancelled payment takes the deal back: not paid, whatever the history says
	back = funnel_facts([*_rows(t[:4]), ("Invoice Paid", "Invoice Issued", 1, t[4])])
	assert back.paid_at is None
	# paid again later: the last entry counts
	again = funnel_facts(
		[
			*_rows(t[:4]),
			("Invoice Paid", "Invoice Issued", 1, t[4]),
			("Invoice Issued", "Invoice Paid", 1, t[5]),
		]
	)
	assert again.paid_at == t[5]
	assert again.as_fields()["paid_at"] == t[5]


def _rows(times):
	stages = ["Request Received", "Negotiation", "Invoice Issued", "Invoice Paid"]
	return [(stages[i - 1] if i else None, stages[i], 1 if i else None, at) for i, at in enumerate(times)]


def test_lost_at_while_lost():
	t = ["2026-10-01 09:00:00", "2026-10-02 09:00:00", "2026-10-05 09:00:00", "2026-10-09 09:00:00"]
	lost = funnel_facts([(None, "Request Received", None, t[0]), ("Request Received", "Lost", 1, t[1])])
	assert lost.lost_at == t[1]
	reopened = funnel_facts(
		[
			(None, "Request Received", None, t[0]),
			("Request Received", "Lost", 1, t[1]),
			("Lost", "Negotiation", 1, t[2]),
		]
	)
	assert reopened.lost_at is None
	again = funnel_facts([*_rows(t[:2]), ("Negotiation", "Lost", 1, t[3])])
	assert again.as_fields()["lost_at"] == t[3]
