"""Driving Frappe's desk in a real browser, waiting on the desk's own signals.

No sleeps: a step waits for what the desk itself reports (its count of pending
requests and of freezes, `cur_frm` loaded with the document, a dialog shown, the
board's columns drawn) with Playwright's auto-waiting on top.
"""

import re
from urllib.parse import quote

from playwright.sync_api import Browser, Locator, Page, expect

VIEWPORT = {"width": 1920, "height": 1080}

# The desk is idle: its request counter is at zero and nothing is frozen.
IDLE = """() => !!(window.frappe && frappe.request && frappe.dom)
	&& frappe.request.ajax_count === 0 && !frappe.dom.freeze_count"""

# cur_frm shows this document (or a new one of this DocType), fully refreshed.
FORM_READY = """([doctype, name]) => {
	const frm = window.cur_frm;
	if (!frm || frm.doctype !== doctype || !frm.doc) return false;
	if (name === null ? !frm.is_new() : frm.doc.name !== name) return false;
	if (frappe.get_route_str() !== `Form/${doctype}/${frm.docname}`) return false;
	return !!frm.page && frm.$wrapper.is(":visible")
		&& frappe.request.ajax_count === 0 && !frappe.dom.freeze_count;
}"""


def escape_css(value: str) -> str:
	return value.replace("\\", "\\\\").replace('"', '\\"')


class Desk:
	"""One user's browser session on the desk (its own cookie jar)."""

	def __init__(self, browser: Browser, base_url: str, user: str, pwd: str, timeout_ms: int = 20_000):
		self.base_url = base_url.rstrip("/")
		self.user = user
		self.context = browser.new_context(base_url=self.base_url, viewport=VIEWPORT)
		self.context.set_default_timeout(timeout_ms)
		self.page: Page = self.context.new_page()
		self.console_errors: list[str] = []
		self.page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))
		self.page.on(
			"console", lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None
		)
		if user != "Guest":
			response = self.page.request.post("/api/method/login", form={"usr": user, "pwd": pwd})
			assert response.ok, f"login as {user}: HTTP {response.status}"

	def close(self):
		self.context.close()

	# --- waiting ------------------------------------------------------------------------------

	def wait_idle(self):
		self.page.wait_for_function(IDLE)

	def goto(self, route: str):
		"""Open a desk route (`/app/...`) and wait until the desk has booted and is idle."""
		booted = "() => !!(window.frappe && frappe.boot && frappe.boot.user)"
		self.page.goto(route, wait_until="domcontentloaded")
		try:
			self.page.wait_for_function(booted)
		except Exception:
			# Frappe's desk now and then stops at its splash screen on the first boot after its
			# caches were cleared ("frappe.template.compile(...) is not a function"): reloaded
			# once, as a person would, and noted
			self.console_errors.append(f"desk did not boot at {route}: reloaded once")
			self.page.reload(wait_until="domcontentloaded")
			self.page.wait_for_function(booted)
		self.wait_idle()

	def open_form(self, doctype: str, name: str | None = None):
		slug = doctype.lower().replace(" ", "-")
		self.goto(f"/app/{slug}/{quote(name) if name else 'new'}")
		self.wait_form(doctype, name)

	def wait_form(self, doctype: str, name: str | None = None):
		self.page.wait_for_function(FORM_READY, arg=[doctype, name])

	def form_value(self, fieldname: str):
		return self.page.evaluate("(f) => cur_frm.doc[f]", fieldname)

	def wait_form_value(self, fieldname: str, value):
		self.page.wait_for_function(
			"([f, v]) => window.cur_frm && cur_frm.doc[f] === v", arg=[fieldname, value]
		)

	# --- the current form ---------------------------------------------------------------------

	def form(self) -> Locator:
		"""The visible form page (the desk keeps earlier pages hidden in the DOM)."""
		return self.page.locator(".page-container:visible .form-layout").first

	def control(self, fieldname: str, within: Locator | None = None) -> Locator:
		scope = within or self.form()
		return scope.locator(f'.frappe-control[data-fieldname="{fieldname}"]:visible').first

	def fill(self, fieldname: str, value: str, within: Locator | None = None):
		field = self.control(fieldname, within).locator("input, textarea, select").first
		field.fill(value)
		field.press("Tab")  # Frappe takes the value on change
		self.wait_idle()

	def select(self, fieldname: str, value: str):
		self.control(fieldname).locator("select").select_option(value)
		self.wait_idle()

	def fill_link(self, fieldname: str, search: str, pick: str, within: Locator | None = None):
		"""Type into a Link field and choose the suggestion that shows `pick`."""
		self._pick(self.control(fieldname, within), search, pick)

	def _pick(self, control: Locator, search: str, pick: str):
		field = control.locator("input").first
		field.click()
		field.fill(search)
		# the suggestions list: inside the control on Frappe 15, beside it (in the page) for a
		# table cell on Frappe 16; only one is visible at a time
		option = self.page.locator("ul[role=listbox]:visible [role=option]", has_text=pick).first
		option.wait_for(state="visible")
		option.click()
		self.wait_idle()

	# --- child tables -------------------------------------------------------------------------

	def grid_add_row(self, table: str) -> Locator:
		"""Click the table's Add Row; returns the new row."""
		grid = self.control(table)
		count = grid.locator(".grid-body .grid-row").count()
		grid.locator(".grid-add-row").first.click()
		row = grid.locator(f'.grid-body .grid-row[data-idx="{count + 1}"]')
		row.wait_for(state="visible")
		self.wait_idle()
		return row

	def grid_cell(self, row: Locator, fieldname: str) -> Locator:
		"""The cell's editor (the row turns editable when its cell is clicked)."""
		editor = row.locator(f'.frappe-control[data-fieldname="{fieldname}"]:visible').first
		if not editor.count():
			row.locator(f'.grid-static-col[data-fieldname="{fieldname}"]').first.click()
			editor.wait_for(state="visible")
		return editor

	def grid_fill_link(self, row: Locator, fieldname: str, search: str, pick: str):
		self._pick(self.grid_cell(row, fieldname), search, pick)

	def grid_fill(self, row: Locator, fieldname: str, value: str):
		field = self.grid_cell(row, fieldname).locator("input").first
		field.fill(value)
		field.press("Tab")
		self.wait_idle()

	def shown_value(self, fieldname: str) -> str:
		"""The text a read-only field shows (a computed Currency, say)."""
		return (
			self.control(fieldname).locator(".control-value, .like-disabled-input").first.inner_text().strip()
		)

	def save(self):
		self.page.keyboard.press("Control+s")
		self.wait_idle()

	def wait_saved(self, doctype: str) -> str:
		"""After saving a new document: the form reloads at its name. Returns the name; a
		message dialog shown instead (the server refused) fails with its text."""
		outcome = self.page.wait_for_function(
			"""(doctype) => {
				if (document.querySelector(".modal.show .msgprint")) return "message";
				return window.cur_frm && cur_frm.doctype === doctype && !cur_frm.is_new()
					&& !cur_frm.doc.__unsaved && frappe.get_route_str() === `Form/${doctype}/${cur_frm.docname}`
					&& frappe.request.ajax_count === 0 && !frappe.dom.freeze_count && "saved";
			}""",
			arg=doctype,
		).json_value()
		if outcome == "message":
			raise AssertionError(f"saving the {doctype} was refused: {self.message()}")
		return self.page.evaluate("cur_frm.docname")

	# --- dialogs and messages -----------------------------------------------------------------

	def dialog(self) -> Locator:
		return self.page.locator(".modal.show .modal-dialog").last

	def message(self) -> str:
		"""The text of the message dialog (frappe.msgprint / frappe.throw) now shown."""
		box = self.page.locator(".modal.show .msgprint").last
		box.wait_for(state="visible")
		title = self.page.locator(".modal.show .modal-title").last.inner_text()
		return f"{title}\n{box.inner_text()}".strip()

	def close_dialog(self):
		dialog = self.page.locator(".modal.show").last
		dialog.locator(".btn-modal-close, .modal-header .close").first.click()
		expect(dialog).to_be_hidden()
		# Bootstrap removes the backdrop after its fade: until then it takes the clicks
		self.page.wait_for_function("() => !document.querySelector('.modal-backdrop')")
		self.wait_idle()

	def custom_button(self, label: str):
		"""Click a button a form script added (frm.add_custom_button) to the page head."""
		button = self.page.locator(
			".page-container:visible .page-head button", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")
		).first
		button.wait_for(state="visible")
		button.click()

	def intro(self) -> tuple[str, str]:
		"""The form's intro banner (frm.set_intro): its text and its colour class."""
		box = self.page.locator(".page-container:visible .form-message:visible").first
		box.wait_for(state="visible")
		colour = next(
			(
				c
				for c in ("red", "orange", "blue", "green", "yellow")
				if c in (box.get_attribute("class") or "")
			),
			"",
		)
		return box.inner_text().strip(), colour

	# --- workflow -----------------------------------------------------------------------------

	def actions_button(self) -> Locator:
		return self.page.locator(".page-container:visible .page-actions .actions-btn-group button").first

	def workflow_actions(self) -> list[str]:
		self.actions_button().click()
		items = self.page.locator(
			".page-container:visible .actions-btn-group .dropdown-menu.show .dropdown-item"
		)
		items.first.wait_for(state="visible")
		labels = [t.strip() for t in items.all_inner_texts()]
		self.page.keyboard.press("Escape")
		return labels

	def workflow_action(self, label: str):
		"""Click a workflow action in the form's Actions menu."""
		self.actions_button().click()
		menu = self.page.locator(".page-container:visible .actions-btn-group .dropdown-menu.show")
		menu.locator(".dropdown-item", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")).first.click()

	def indicator(self) -> str:
		return (
			self.page.locator(".page-container:visible .page-head .indicator-pill").first.inner_text().strip()
		)

	# --- the Kanban board ---------------------------------------------------------------------

	def card(self, name: str) -> Locator:
		return self.page.locator(f'.kanban-card-wrapper[data-name="{escape_css(quote(name, safe=""))}"]')

	def column(self, value: str) -> Locator:
		return self.page.locator(f'.kanban-column[data-column-value="{escape_css(value)}"]')

	def card_column(self, name: str) -> str | None:
		return self.page.evaluate(
			"""(name) => {
				const card = [...document.querySelectorAll(".kanban-card-wrapper[data-name]")]
					.find((el) => decodeURIComponent(el.dataset.name) === name);
				const column = card && card.closest(".kanban-column[data-column-value]");
				return column ? column.getAttribute("data-column-value") : null;
			}""",
			name,
		)

	def drag_card(self, name: str, to_column: str):
		"""Drag a card with the mouse (press, move past Sortable's tolerance, drop on the
		column's card list) and wait until the desk is idle again."""
		card = self.card(name)
		card.scroll_into_view_if_needed()
		source = card.bounding_box()
		target = self.column(to_column).locator(".kanban-cards").first.bounding_box()
		assert source and target, f"card {name} or column {to_column} is not on the screen"
		x, y = source["x"] + source["width"] / 2, source["y"] + 20
		mouse = self.page.mouse
		mouse.move(x, y)
		mouse.down()
		mouse.move(x + 30, y + 30, steps=5)
		mouse.move(target["x"] + target["width"] / 2, target["y"] + 40, steps=20)
		mouse.up()
		self.wait_idle()

	def column_totals(self) -> dict[str, str]:
		"""Each column's count-and-sum line, as shown."""
		return self.page.evaluate(
			"""() => Object.fromEntries([...document.querySelectorAll(".kanban-column[data-column-value]")]
				.map((col) => [col.getAttribute("data-column-value"),
					(col.querySelector(".crm-column-total") || {}).innerText || null]))"""
		)
