"""Lost At for deals lost before it existed; the stage probability rows, measured, and
every deal's probability and expected amount."""

import frappe

from crm_app.analytics.probability import measure
from crm_app.pipeline.rules import refresh_funnel_facts
from crm_app.pipeline.stages import LOST


def execute():
	for name in frappe.get_all("Deal", filters={"stage": LOST, "lost_at": ("is", "not set")}, pluck="name"):
		refresh_funnel_facts(name)
	measure()
