"""A small demo year loaded and removed on a test site (with ERPNext and without): what the
load made is there and moved through the stages; `crm-app demo --clear` leaves the site's
every table as it was, except the user's own records made meanwhile and a demo client they
came to use, which is kept and named."""

import subprocess
import sys

import frappe
from frappe.utils import add_days, nowdate

from crm_app.demo import data, load, records
from crm_app.tests import CRMTestCase

# Frappe's logs of what happened (requests, jobs, logins, permission changes): a clear does not
# undo history, it removes the demo's data
LOG_TABLES = {
	"tabAccess Log",
	"tabActivity Log",
	"tabError Log",
	"tabScheduled Job Log",
	"tabRoute History",
	"tabPermission Log",
	"tabSessions",
	"tabSeries",  # naming series counters: a deleted number is not given again
	"tabSingles",  # settings (the measured probabilities are measured again)
	"tabPrepared Report",
	"tabSubmission Queue",
	"tabTransaction Log",
}


def table_counts() -> dict[str, int]:
	"""Rows of every table of the site, logs aside."""
	tables = frappe.db.sql(
		"select table_name from information_schema.tables where table_schema = database() and table_name like 'tab%%'"
	)
	return {t: frappe.db.sql(f"select count(*) from `{t}`")[0][0] for (t,) in tables if t not in LOG_TABLES}


def changed(before: dict, after: dict) -> dict:
	return {
		t: (before.get(t), after.get(t)) for t in set(before) | set(after) if before.get(t) != after.get(t)
	}


class TestDemoLoadAndClear(CRMTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		if records.loaded():  # an earlier run that stopped half-way
			load.clear()

	def tearDown(self):
		frappe.set_user("Administrator")
		if records.loaded():
			load.clear()
		frappe.db.commit()

	def test_load_then_clear_leaves_the_site_as_it_was_but_the_users_own(self):
		frappe.db.commit()
		before = table_counts()
		done = load.load(deals=24, clients=6, seed=11)
		self.assertTrue(done and records.loaded())
		self.assertRaises(frappe.ValidationError, load.load, 24, 6, 11)  # once only

		deals = frappe.get_all(
			"Deal", filters={"name": ("in", self.demo_names("Deal"))}, fields=["name", "stage", "creation"]
		)
		self.assertEqual(len(deals), 24)
		self.assertGreater(len({d.stage for d in deals}), 2)
		self.assertLess(min(d.creation for d in deals).date(), frappe.utils.getdate(add_days(nowdate(), -60)))
		moved = frappe.get_doc("Deal", next(d.name for d in deals if d.stage != "Request Received"))
		stamps = [row.changed_at for row in moved.stage_history]
		self.assertEqual(stamps, sorted(stamps))
		self.assertEqual(moved.stage_history[0].changed_by, moved.responsible)

		# the user's own records, one of them on a demo client
		demo_client = self.demo_names("Client Company")[0]
		own_company = frappe.get_doc(
			{"doctype": "Client Company", "company_name": "Own Client", "entity_type": "Legal Entity"}
		).insert()
		own_item = frappe.get_doc(
			{"doctype": "Catalog Item", "item_code": f"OWN-{frappe.generate_hash(length=6)}",
			 "item_name": "Own", "item_type": "Service", "standard_rate": 100}
		).insert()  # fmt: skip
		own_deal = frappe.get_doc(
			{
				"doctype": "Deal",
				"client_company": demo_client,
				"currency": "RUB",
				"items": [{"catalog_item": own_item.name, "qty": 1}],
			}
		).insert()
		frappe.db.commit()
		listed = records.listed()
		own_modified = frappe.db.get_value("Deal", own_deal.name, "modified")

		lines = load.clear()
		kept = [line for line in lines if demo_client in line]
		self.assertEqual(len(kept), 1, lines)
		self.assertIn(own_deal.name, kept[0])  # named with the user's record that uses it
		self.assertEqual(records.listed(), [("Client Company", demo_client)])
		# no second year beside what is kept; the refusal says how much is left
		with self.assertRaises(frappe.ValidationError) as refusal:
			load.load(deals=24, clients=6, seed=11)
		self.assertIn("(1 records)", str(refusal.exception))
		for doctype, name in listed:
			if (doctype, name) != ("Client Company", demo_client):
				self.assertFalse(frappe.db.exists(doctype, name), (doctype, name))
		self.assertEqual(frappe.db.get_value("Deal", own_deal.name, "modified"), own_modified)
		self.assertTrue(frappe.db.exists("Client Company", own_company.name))
		self.assertTrue(frappe.db.exists("Catalog Item", own_item.name))

		# the user's own gone, a second clear takes the client: every table as before
		frappe.delete_doc("Deal", own_deal.name)
		frappe.delete_doc("Catalog Item", own_item.name)
		frappe.delete_doc("Client Company", own_company.name)
		frappe.db.commit()
		load.clear()
		self.assertFalse(records.loaded())
		after = table_counts()
		# the trash and the feed hold the user's own deletions, never a demo record
		noted = {"tabDeleted Document", "tabComment"}
		self.assertEqual(
			{t: v for t, v in changed(before, after).items() if t not in noted},
			{},
			"the demo left rows behind (table: before, after)",
		)
		names = [name for _doctype, name in listed]
		for start in range(0, len(names), 500):
			chunk = names[start : start + 500]
			self.assertFalse(frappe.get_all("Deleted Document", filters={"deleted_name": ("in", chunk)}))
			self.assertFalse(frappe.get_all("Comment", filters={"reference_name": ("in", chunk)}))
		self.assertTrue(
			frappe.db.exists("Deleted Document", {"deleted_doctype": "Deal", "deleted_name": own_deal.name})
		)

	def test_two_loads_at_once_make_one_year_and_two_clears_remove_it(self):
		"""Two people run `crm-app demo` at the same moment: one loads, the other is refused
		(it must never clear what the first is making); then two clears at once."""
		frappe.db.commit()
		loads = self.at_once(["crm-app", "demo", "--deals", "12", "--clients", "4"])
		frappe.db.rollback()  # a fresh snapshot of what the two processes committed
		self.assertEqual(sorted(code for code, _out in loads), [0, 1], loads)
		refusal = next(out for code, out in loads if code)
		self.assertTrue("another process" in refusal or "already loaded" in refusal, refusal)
		team = [load.team_email(member) for member in data.TEAM]
		self.assertEqual(len(frappe.get_all("User", filters={"name": ("in", team)})), len(team))
		self.assertEqual(len(self.demo_names("Deal")), 12)
		for doctype, name in records.listed():
			self.assertTrue(frappe.db.exists(doctype, name), (doctype, name))
		clears = self.at_once(["crm-app", "demo", "--clear"])
		frappe.db.rollback()
		self.assertIn(0, [code for code, _out in clears], clears)
		self.assertFalse(records.loaded())
		self.assertFalse(frappe.get_all("User", filters={"name": ("in", team)}))

	@staticmethod
	def at_once(command: list[str]) -> list[tuple[int, str]]:
		"""The bench command run twice at the same moment on this site: [(exit code, output)]."""
		argv = [sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", frappe.local.site]
		runs = [
			subprocess.Popen(
				argv + command,
				cwd=frappe.local.sites_path,
				stdout=subprocess.PIPE,
				stderr=subprocess.STDOUT,
				text=True,
			)
			for _ in range(2)
		]
		outputs = [run.communicate(timeout=900)[0] for run in runs]
		return [(run.returncode, out) for run, out in zip(runs, outputs, strict=True)]

	def demo_names(self, doctype: str) -> list[str]:
		return [name for d, name in records.listed(newest_first=False) if d == doctype]
