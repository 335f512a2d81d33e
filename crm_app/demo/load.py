"""The demo year loaded into a site through the product's own flows.

`crm_app.demo.data` plans a year of a Russian company's sales; this module carries it out
as the people would have: the sales team and an accountant become users, the catalog and
the client base are created, and each deal is created by its responsible and moved by the
Deal Pipeline's actions (`frappe.model.workflow.apply_workflow`, the same save as the form's
buttons) at the planned moment — with ERPNext, Issue Invoice posts the Sales Invoice,
Confirm Payment the Payment Entry, Ship Goods the Delivery Note, and the accountant posts
some payments and deliveries in ERPNext itself, which the deals follow. The clock is set to
each moment while it happens (freezegun), so the stage history, the funnel facts and the
vouchers' posting dates are those of the plan, never rewritten afterwards.

Every record made on the way is listed (`crm_app.demo.records`); if anything fails, what was
loaded is removed again and the error is raised.
"""

from collections import Counter
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone

import frappe
from frappe import _
from frappe.model.workflow import apply_workflow
from frappe.utils import getdate, nowdate

from crm_app.demo import data, records

SEED = 2026
DEALS = 400
CLIENTS = 60
COMMIT_EVERY = 25


def team_email(member: tuple[str, str, str]) -> str:
	"""The demo user's login: first letter of the first name, dot, last name (Latin)."""
	_key, first, last = member
	return f"{data.translit(first)[0]}.{data.translit(last)}@{data.USER_DOMAIN}"


def load(
	deals: int = DEALS, clients: int = CLIENTS, seed: int = SEED, today: date | str | None = None
) -> list[str]:
	"""Load the demo year ending yesterday; returns what was made, one line each.

	Raises (frappe.ValidationError) when demo records are already on the site, or while
	another process loads or clears them (one at a time per site). Any failure removes what
	the load had made (`records.clear`) and is raised again."""
	with exclusive(), site_automation_off():
		if records.loaded():
			frappe.throw(
				_(
					"The demo data is already loaded ({0} records): remove it first with bench --site {1} "
					"crm-app demo --clear. Demo records your own records use are kept by the clear "
					"(it names them) until your records no longer use them."
				).format(len(records.listed()), frappe.local.site),
				title=_("Demo Data"),
			)
		return _load(getdate(today or nowdate()), deals, clients, seed)


def _load(today: date, deals: int, clients: int, seed: int) -> list[str]:
	firms, people, plans, goals = data.year(seed, today, deals, clients)
	start = min(p.created_at for p in plans) - timedelta(days=3)
	try:
		with records.emails_muted():
			with records.recording():
				with _clock(start) as clock:
					loader = Loader(firms, people, plans, goals, clock)
					loader.run()
				# the stage probabilities measured on the year's closed deals (the settings'
				# Version is the demo's, removed with it)
				from crm_app.analytics.probability import measure

				measure()
			records.commit()  # the letters and SMS sent after a commit are muted too
			done = loader.summary()
	except BaseException:
		frappe.db.rollback()
		frappe.set_user("Administrator")
		records.clear()
		raise
	finally:
		frappe.set_user("Administrator")
	records.drop_outbox()
	frappe.db.commit()
	return done


@contextmanager
def site_automation_off():
	"""The site's own automation does not act on the demo's records while they are made or
	removed — assignment rules (they would hand demo deals to the company's staff), energy
	points, milestones, SLAs, following created documents — as during Frappe's setup wizard,
	whose flag Frappe and ERPNext read for exactly these. Webhooks and server scripts of the
	site still run."""
	before = frappe.flags.in_setup_wizard
	frappe.flags.in_setup_wizard = True
	try:
		yield
	finally:
		frappe.flags.in_setup_wizard = before


@contextmanager
def exclusive():
	"""One demo load or clear at a time on a site, across processes (Frappe's file lock in
	the site's locks folder, released when the process ends): a second one is refused at
	once with a message, never run beside the first (a failed load clears what is listed)."""
	from frappe.utils.synchronization import LockTimeoutError, filelock

	try:
		with filelock("crm_app_demo", timeout=1):
			yield
	except LockTimeoutError:
		frappe.throw(
			_("The demo data is being loaded or removed by another process: try again when it is done."),
			title=_("Demo Data"),
		)


def load_after_setup():
	"""Background job queued by the setup wizard's "Load Demo Data": the demo year, unless
	it is there already; the user who completed the wizard is told when it is in."""
	if records.loaded():
		return
	user = frappe.session.user
	done = load()
	frappe.publish_realtime(
		"msgprint", {"message": "<br>".join(done), "title": _("Demo data loaded")}, user=user
	)


class _clock:
	"""The process's clock set to a moment of the plan (freezegun, ticking from there):
	`move_to(moment)` as each planned step happens."""

	def __init__(self, start: datetime):
		self.start = start

	def __enter__(self):
		from freezegun import freeze_time

		self._freezer = freeze_time(self.start.astimezone(timezone.utc).replace(tzinfo=None), tick=True)
		self._factory = self._freezer.start()
		return self

	def move_to(self, moment: datetime):
		self._factory.move_to(moment.astimezone(timezone.utc).replace(tzinfo=None))

	def __exit__(self, *exc):
		self._freezer.stop()
		return False


class Loader:
	"""Carries a planned year out on the site (see the module's docstring)."""

	def __init__(self, firms, people, plans, goals, clock):
		self.firms, self.people, self.plans, self.goals, self.clock = firms, people, plans, goals, clock
		self.erpnext = _posting_enabled()
		self.users: list[str] = []
		self.accountant: str | None = None
		self.items: list[str] = []
		self.companies: list[str] = []
		self.contacts: list[str] = []
		self.deals: dict[int, str] = {}
		self.moves = 0

	def run(self):
		"""The year in order: team, catalog, clients, the ERPNext year, then every deal's
		creation and moves sorted by their moments (commits every COMMIT_EVERY steps)."""
		frappe.set_user("Administrator")
		if self.erpnext:
			from crm_app.erpnext_integration.demo import check_currency

			check_currency()
		self.make_team()
		self.make_catalog()
		self.make_clients()
		if self.erpnext:
			from crm_app.erpnext_integration.demo import prepare_year

			prepare_year(
				self.clock.start.date(),
				{self.items[i]: qty * 1.2 + 5 for i, qty in data.stock_needed(self.plans).items()},
			)
		records.commit()
		steps = [(plan.created_at, 0, i, None) for i, plan in enumerate(self.plans)]
		steps += [(m.at, 1, i, m.action) for i, plan in enumerate(self.plans) for m in plan.moves]
		steps.sort(key=lambda s: (s[0], s[1], s[2]))
		for count, (moment, _kind, index, action) in enumerate(steps, 1):
			self.clock.move_to(moment)
			if action is None:
				self.create_deal(index)
			else:
				self.move(index, action)
			if count % COMMIT_EVERY == 0:
				records.commit()
		self.make_targets()
		frappe.set_user("Administrator")

	# --- people, catalog, clients ------------------------------------------------------------

	def make_team(self):
		"""The head of sales (Sales Manager), four sales users, and with ERPNext the accountant."""
		for index, member in enumerate(data.TEAM):
			roles = ["Sales Manager", "Sales User"] if index == 0 else ["Sales User"]
			self.users.append(self._user(member, roles))
		if self.erpnext:
			self.accountant = self._user(
				data.ACCOUNTANT, ["Accounts User", "Accounts Manager", "Stock User", "Stock Manager"]
			)

	def _user(self, member, roles) -> str:
		email = team_email(member)
		if frappe.db.exists("User", email):
			frappe.throw(_("User {0} already exists: the demo team cannot be made.").format(email))
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": member[1],
				"last_name": member[2],
				"send_welcome_email": 0,
				"user_type": "System User",
				"roles": [{"role": role} for role in roles],
			}
		)
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
		# the user's Contact, which Frappe otherwise makes in a background job after the
		# commit: made here, it is listed with the demo's records and removed with them
		from frappe.core.doctype.user.user import create_contact

		create_contact(user, ignore_mandatory=True)
		return email

	def make_catalog(self):
		"""The catalog's Catalog Items (refused when one of their codes exists)."""
		for code, name, kind, uom, rate, own_vat in data.CATALOG:
			if frappe.db.exists("Catalog Item", code):
				frappe.throw(
					_("Catalog Item {0} already exists: the demo catalog cannot be made.").format(code)
				)
			values = {
				"doctype": "Catalog Item",
				"item_code": code,
				"item_name": name,
				"item_type": kind,
				"uom": uom,
				"standard_rate": rate,
			}
			if own_vat is not None:
				values.update(standard_vat_rate=0, vat_rate=own_vat)
			self.items.append(frappe.get_doc(values).insert(ignore_permissions=True).name)

	def make_clients(self):
		"""Client Companies, then their Client Contacts, each under its account manager."""
		for firm in self.firms:
			doc = frappe.get_doc(
				{
					"doctype": "Client Company",
					"company_name": firm.company_name,
					"entity_type": firm.entity_type,
					"inn": firm.inn,
					"kpp": firm.kpp,
					"ogrn": firm.ogrn,
					"director": firm.director,
					"industry": firm.industry,
					"phone": firm.phone,
					"email": firm.email,
					"website": firm.website,
					"address": firm.address,
					"account_manager": self.users[firm.account_manager],
				}
			)
			self.companies.append(doc.insert(ignore_permissions=True).name)
		for person in self.people:
			doc = frappe.get_doc(
				{
					"doctype": "Client Contact",
					"first_name": person.first_name,
					"middle_name": person.middle_name,
					"last_name": person.last_name,
					"company": self.companies[person.company],
					"position": person.position,
					"email": person.email,
					"phone": person.phone,
					"mobile": person.mobile,
					"account_manager": self.users[self.firms[person.company].account_manager],
				}
			)
			self.contacts.append(doc.insert(ignore_permissions=True).name)

	# --- deals -------------------------------------------------------------------------------

	def create_deal(self, index: int):
		"""The deal of plan `index`, inserted by its responsible at the planned moment."""
		plan = self.plans[index]
		frappe.set_user(self.users[plan.responsible])
		deal = frappe.get_doc(
			{
				"doctype": "Deal",
				"title": plan.title,
				"client_company": self.companies[plan.company],
				"contact": self.contacts[plan.contact],
				"responsible": self.users[plan.responsible],
				"source": plan.source,
				"currency": "RUB",
				"expected_close_date": plan.expected_close_date,
				"next_contact_date": plan.next_contact_date,
				"items": [
					{
						"catalog_item": self.items[line.item],
						"qty": line.qty,
						"discount_percent": line.discount_percent,
					}
					for line in plan.lines
				],
			}
		)
		self.deals[index] = deal.insert().name

	def move(self, index: int, action: str):
		"""One planned move: a workflow action as a user of the team, or a voucher the
		accountant posts in ERPNext (without ERPNext posting: the action it stands for)."""
		plan, name = self.plans[index], self.deals[index]
		if action in (data.PAY_IN_LEDGER, data.SHIP_IN_LEDGER) and self.erpnext:
			from crm_app.erpnext_integration import demo

			frappe.set_user(self.accountant)
			invoice = frappe.db.get_value("Deal", name, "sales_invoice")
			(demo.pay_invoice if action == data.PAY_IN_LEDGER else demo.deliver_invoice)(invoice)
			self.moves += 1
			return
		action = {data.PAY_IN_LEDGER: data.PAY, data.SHIP_IN_LEDGER: data.SHIP}.get(action, action)
		# payments and shipments are confirmed by the head of sales, the rest by the responsible
		frappe.set_user(self.users[0] if action in (data.PAY, data.SHIP) else self.users[plan.responsible])
		if action == data.LOSE:  # as the form's Mark Lost dialog: the reason saved, then the action
			deal = frappe.get_doc("Deal", name)
			deal.lost_reason = plan.lost_reason
			deal.save()
		apply_workflow(frappe.get_doc("Deal", name).as_dict(), action)
		self.moves += 1

	def make_targets(self):
		"""The planned Sales Targets, in rubles."""
		frappe.set_user("Administrator")
		for goal in self.goals:
			frappe.get_doc(
				{
					"doctype": "Sales Target",
					"responsible": self.users[goal["responsible"]],
					"currency": "RUB",
					"target_amount": goal["target_amount"],
					"from_date": goal["from_date"],
					"to_date": goal["to_date"],
				}
			).insert(ignore_permissions=True)

	def summary(self) -> list[str]:
		"""What was made, one line each (translated), for the command to print."""
		stages = Counter(
			frappe.get_all("Deal", filters={"name": ("in", list(self.deals.values()))}, pluck="stage")
		)
		lines = [
			_("{0} users, {1} catalog items, {2} client companies with {3} contacts").format(
				len(self.users) + bool(self.accountant),
				len(self.items),
				len(self.companies),
				len(self.contacts),
			),
			_("{0} deals over 12 months, {1} stage moves; now: {2}").format(
				len(self.deals), self.moves, ", ".join(f"{_(stage)} {n}" for stage, n in stages.items())
			),
			_("{0} sales targets").format(len(self.goals)),
		]
		if self.erpnext:
			lines.append(
				_("ERPNext: {0} sales invoices, {1} payment entries, {2} delivery notes").format(
					*(
						frappe.db.count(dt, {"crm_deal": ("in", list(self.deals.values())), "docstatus": 1})
						for dt in ("Sales Invoice", "Payment Entry", "Delivery Note")
					)
				)
			)
		return lines


def _posting_enabled() -> bool:
	if "erpnext" not in frappe.get_installed_apps():
		return False
	from crm_app.erpnext_integration.settings import posting_enabled

	return posting_enabled()


def clear() -> list[str]:
	"""Remove the demo records (`records.clear`); returns what was done, one line each.
	Refused while another process loads or clears them (`exclusive`)."""
	with exclusive(), site_automation_off():
		if not records.loaded():
			return [_("No demo data on this site")]
		frappe.set_user("Administrator")
		result = records.clear()
	frappe.db.commit()
	lines = [_("Demo data removed: {0} records").format(sum(result["deleted"].values()))]
	for doctype, name, reason in result["kept"]:
		lines.append(_("Kept {0} {1}: {2}").format(_(doctype), name, reason))
	return lines
