"""The translation function for modules that must also run without Frappe.

Inside a Frappe site this is `frappe._`; the offline test layer, which has no
Frappe, gets an identity function. Strings stay literal `_("...")` calls either
way, so Frappe's string extraction finds them.
"""

try:
	from frappe import _
except ImportError:  # pragma: no cover - exercised only where Frappe is absent

	def _(msg: str, lang: str | None = None, context: str | None = None) -> str:
		return msg


__all__ = ["_"]
