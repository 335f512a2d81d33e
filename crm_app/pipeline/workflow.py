"""The pipeline as the site's Workflow defines it (states in order, transitions)."""

from dataclasses import dataclass

import frappe
from frappe.model.workflow import get_workflow_name

from crm_app.pipeline.stages import Transition, allowed_transitions, frozen_states


@dataclass
class Pipeline:
	name: str
	state_field: str
	states: list[str]
	transitions: list[Transition]
	required_states: list[str]  # states not marked optional: Frappe makes Workflow Actions for them

	@property
	def first_state(self) -> str:
		return self.states[0]

	def frozen_states(self) -> set[str]:
		return frozen_states(self.transitions)

	def allowed(self, current: str, roles) -> list[Transition]:
		return allowed_transitions(self.transitions, current, roles)


def get_pipeline(doctype: str = "Deal") -> Pipeline | None:
	"""The active workflow on Deal, or None when the site has none active."""
	name = get_workflow_name(doctype)
	if not name:
		return None
	return pipeline_from(frappe.get_cached_doc("Workflow", name))


def pipeline_from(workflow) -> Pipeline:
	states: list[str] = []
	for row in workflow.states:
		if row.state not in states:
			states.append(row.state)
	return Pipeline(
		name=workflow.name,
		state_field=workflow.workflow_state_field,
		states=states,
		transitions=[Transition(t.state, t.action, t.next_state, t.allowed) for t in workflow.transitions],
		required_states=[row.state for row in workflow.states if not row.get("is_optional_state")],
	)


def stage_options() -> list[str]:
	"""The stages in order: the workflow's when one is active, else the field's options."""
	pipeline = get_pipeline()
	if pipeline:
		return pipeline.states
	field = frappe.get_meta("Deal").get_field("stage")
	return [o for o in (field.options or "").split("\n") if o]
