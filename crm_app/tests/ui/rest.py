"""The site as Administrator sees it, through Frappe's REST API: test data in, facts out.

Every scenario checks what the database holds through this client, never through the
page it drove.
"""

import json
import secrets
from urllib.parse import quote

from playwright.sync_api import APIRequestContext, Playwright

SETTINGS = "CRM App Settings"


class RestError(AssertionError):
	pass


class Rest:
	def __init__(
		self, playwright: Playwright, base_url: str, user: str = "Administrator", pwd: str = "admin"
	):
		self.base_url = base_url.rstrip("/")
		self.make_bare_user = None  # fallback for Frappe's throttle on user creation (run.py)
		self.ctx: APIRequestContext = playwright.request.new_context(base_url=self.base_url, timeout=60_000)
		self.login(user, pwd)

	def login(self, user: str, pwd: str):
		response = self.ctx.post("/api/method/login", form={"usr": user, "pwd": pwd})
		if not response.ok:
			raise RestError(f"login as {user} failed: {response.status} {response.text()[:300]}")

	def close(self):
		self.ctx.dispose()

	# --- plumbing -----------------------------------------------------------------------------

	def _json(self, response, what: str):
		if not response.ok:
			raise RestError(f"{what}: HTTP {response.status} {response.text()[:600]}")
		return response.json()

	def call(self, method: str, **args):
		"""POST a whitelisted method with JSON arguments; returns `message`."""
		response = self.ctx.post(f"/api/method/{method}", data=args)
		return self._json(response, method).get("message")

	def get_doc(self, doctype: str, name: str) -> dict:
		response = self.ctx.get(f"/api/resource/{quote(doctype)}/{quote(name)}")
		return self._json(response, f"GET {doctype} {name}")["data"]

	def exists(self, doctype: str, name: str) -> bool:
		return self.ctx.get(f"/api/resource/{quote(doctype)}/{quote(name)}").ok

	def get_list(self, doctype: str, filters=None, fields=None, **kwargs) -> list[dict]:
		return self.call(
			"frappe.client.get_list",
			doctype=doctype,
			filters=filters or {},
			fields=fields or ["name"],
			limit_page_length=kwargs.pop("limit", 0),
			**kwargs,
		)

	def insert(self, doc: dict) -> dict:
		response = self.ctx.post(f"/api/resource/{quote(doc['doctype'])}", data=doc)
		return self._json(response, f"insert {doc['doctype']}")["data"]

	def update(self, doctype: str, name: str, values: dict) -> dict:
		response = self.ctx.put(f"/api/resource/{quote(doctype)}/{quote(name)}", data=values)
		return self._json(response, f"update {doctype} {name}")["data"]

	def delete(self, doctype: str, name: str):
		response = self.ctx.delete(f"/api/resource/{quote(doctype)}/{quote(name)}")
		self._json(response, f"delete {doctype} {name}")

	def apply_workflow(self, doctype: str, name: str, action: str) -> dict:
		return self.call(
			"frappe.model.workflow.apply_workflow", doc=self.get_doc(doctype, name), action=action
		)

	def installed_apps(self) -> list[str]:
		rows = self.call("frappe.utils.change_log.get_versions") or {}
		return list(rows)

	# --- test data ----------------------------------------------------------------------------

	def ensure_user(self, email: str, roles: list[str], first_name: str, language: str = "en") -> str:
		"""A System User with exactly these roles and a fresh password; returns the password.
		Kept from run to run: Frappe throttles user creation (60 an hour per site)."""
		pwd = "Ui-" + secrets.token_urlsafe(12) + "-9z"
		values = {
			"first_name": first_name,
			"enabled": 1,
			"user_type": "System User",
			"language": language,
			"new_password": pwd,
			"roles": [{"role": role} for role in roles],
		}
		if not self.exists("User", email):
			try:
				self.insert({"doctype": "User", "email": email, "send_welcome_email": 0, **values})
				return pwd
			except RestError as e:
				if "Throttled" not in str(e) or not self.make_bare_user:
					raise
				self.make_bare_user(email, first_name)
		self.update("User", email, values)
		return pwd

	def ensure_password(self, email: str) -> str:
		"""A fresh password for an existing user (a demo user has none); returns it."""
		pwd = "Ui-" + secrets.token_urlsafe(12) + "-9z"
		self.update("User", email, {"new_password": pwd})
		return pwd

	def settings(self) -> dict:
		return self.get_doc(SETTINGS, SETTINGS)

	def set_settings(self, values: dict) -> dict:
		return self.update(SETTINGS, SETTINGS, values)


def dumps(value) -> str:
	return json.dumps(value, ensure_ascii=False, default=str)


def random_inn() -> str:
	"""A legal entity's INN (10 digits, region 77) with a correct check digit."""
	base = "77" + "".join(secrets.choice("0123456789") for _ in range(7))
	weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
	return base + str(sum(int(d) * w for d, w in zip(base, weights, strict=True)) % 11 % 10)
