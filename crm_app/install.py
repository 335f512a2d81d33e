"""Install and uninstall steps of crm_app."""

import json

import frappe
from frappe.model import no_value_fields

SETTINGS = "CRM App Settings"
SALES_ROLES = ("Sales User", "Sales Manager")
CREATED_ROLES_KEY = "crm_app_created_roles"


def before_install():
	ensure_roles()


def after_install():
	from crm_app.analytics.probability import ensure_stage_rows
	from crm_app.catalog.setup import ensure_units
	from crm_app.deals.setup import ensure_vat_rates
	from crm_app.documents.assignment import ensure_assignment_rule
	from crm_app.documents.edo import ensure_file_name_length
	from crm_app.documents.setup import ensure_email_templates
	from crm_app.pipeline.board import ensure_board, sync_stage_options
	from crm_app.pipeline.setup import ensure_lost_reasons, ensure_pipeline, let_sales_managers_import

	ensure_pipeline()
	let_sales_managers_import()
	sync_stage_options()
	ensure_board()
	ensure_lost_reasons()
	ensure_email_templates()
	ensure_assignment_rule()
	setup_erpnext_integration()
	ensure_stage_rows()
	ensure_units()
	ensure_vat_rates()
	ensure_file_name_length()
	frappe.clear_cache()


def after_migrate():
	from crm_app.analytics.probability import ensure_stage_rows
	from crm_app.documents.edo import ensure_file_name_length
	from crm_app.pipeline.setup import let_sales_managers_import, let_transition_roles_read_workflows

	setup_erpnext_integration()
	let_transition_roles_read_workflows()
	let_sales_managers_import()
	# every stage has its forecast probability row, one an admin added included (the
	# Workflow's on_update adds it; a migrate makes sure)
	ensure_stage_rows()
	ensure_file_name_length()


def setup_erpnext_integration():
	if "erpnext" in frappe.get_installed_apps():
		from crm_app.erpnext_integration.custom_fields import make_custom_fields

		make_custom_fields()
	fill_settings_defaults()


def declared_defaults(doctype: str = SETTINGS) -> dict[str, str]:
	"""fieldname → the default its field declares (DocType JSON or custom field), as Frappe
	resolves it for a new document."""
	meta = frappe.get_meta(doctype)
	resolved = frappe.new_doc(doctype, as_dict=True)
	return {
		df.fieldname: resolved.get(df.fieldname)
		for df in meta.fields
		if df.fieldtype not in no_value_fields and df.default not in (None, "")
	}


def fill_settings_defaults(doctype: str = SETTINGS) -> list[str]:
	"""Store the declared default of every setting that has no stored value yet.

	Frappe applies a Single's declared defaults only while nothing of it is stored: a
	field added later (a custom field when ERPNext arrives, a new field in an update)
	reads as empty on a site that already saved its settings. Run after install, after
	ERPNext is installed and after every migrate; a stored value is never touched.
	Returns the fieldnames filled."""
	stored = frappe.db.get_singles_dict(doctype)
	defaults = declared_defaults(doctype)
	filled = [f for f in defaults if f not in stored]
	for fieldname in filled:
		frappe.db.set_single_value(doctype, fieldname, defaults[fieldname])
	if filled:
		frappe.clear_document_cache(doctype, doctype)
	return filled


def repair_settings_defaults(doctype: str = SETTINGS) -> list[str]:
	"""Give the declared default back to settings stored empty although no user ever
	changed them: a field added after the settings were first saved was stored with the
	empty value on the next save. A user's own change shows in the settings' Version
	history (track changes is on), and such a field is left alone. Returns the fieldnames
	repaired."""
	defaults = declared_defaults(doctype)
	stored = frappe.db.get_singles_dict(doctype, cast=True)
	changed_by_users = set()
	for data in frappe.get_all("Version", filters={"ref_doctype": doctype, "docname": doctype}, pluck="data"):
		for row in (json.loads(data or "{}") or {}).get("changed") or []:
			changed_by_users.add(row[0])
	repaired = [
		fieldname
		for fieldname, default in defaults.items()
		if fieldname in stored and not stored[fieldname] and default and fieldname not in changed_by_users
	]
	for fieldname in repaired:
		frappe.db.set_single_value(doctype, fieldname, defaults[fieldname])
	if repaired:
		frappe.clear_document_cache(doctype, doctype)
	return repaired


def ensure_roles():
	"""Sales User and Sales Manager come with ERPNext; on a site without it the
	app creates them and remembers that it did, so uninstall can remove them."""
	created = []
	for role in SALES_ROLES:
		if not frappe.db.exists("Role", role):
			frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": 1}).insert(
				ignore_permissions=True
			)
			created.append(role)
	if created:
		frappe.db.set_global(CREATED_ROLES_KEY, frappe.as_json(created))


def before_uninstall():
	from crm_app.documents.assignment import remove_assignment_rule
	from crm_app.documents.edo import remove_file_name_length
	from crm_app.documents.setup import remove_email_templates
	from crm_app.pipeline.board import remove_board
	from crm_app.pipeline.setup import remove_data_import_grant, remove_pipeline

	remove_board()
	remove_pipeline()
	remove_data_import_grant()
	remove_email_templates()
	remove_assignment_rule()
	remove_file_name_length()
	if "erpnext" in frappe.get_installed_apps():
		from crm_app.erpnext_integration.custom_fields import delete_custom_fields

		delete_custom_fields()
	remove_records_about_app_doctypes()
	remove_created_roles()


def remove_created_roles():
	"""Delete the roles this app created unless another app now relies on them."""
	created = frappe.parse_json(frappe.db.get_global(CREATED_ROLES_KEY) or "[]")
	for role in created:
		if not frappe.db.exists("Role", role) or role_used_elsewhere(role):
			continue
		frappe.delete_doc("Role", role, ignore_permissions=True, force=True)
	frappe.db.set_global(CREATED_ROLES_KEY, None)


def role_used_elsewhere(role: str) -> bool:
	"""Is the role in the permissions of a DocType outside this app?"""
	own = set(frappe.get_all("DocType", filters={"module": "CRM App"}, pluck="name"))
	for perm_doctype in ("DocPerm", "Custom DocPerm"):
		parents = frappe.get_all(perm_doctype, filters={"role": role}, pluck="parent", distinct=True)
		if set(parents) - own:
			return True
	return False


def after_app_install(app_name: str):
	"""ERPNext installed after crm_app: its roles get their pipeline transitions."""
	if app_name == "erpnext":
		from crm_app.pipeline.setup import ensure_pipeline

		ensure_pipeline()
		setup_erpnext_integration()


def before_app_uninstall(app_name: str):
	"""ERPNext leaves: the fields that link to its DocTypes go with it."""
	if app_name == "erpnext":
		from crm_app.erpnext_integration.custom_fields import delete_custom_fields

		delete_custom_fields()


# Records of other DocTypes that point at this app's DocTypes; left behind they
# would point at nothing once the DocTypes are gone.
REFERENCING_FIELDS = {
	"Version": "ref_doctype",
	"Comment": "reference_doctype",
	"Communication": "reference_doctype",
	"ToDo": "reference_type",
	"File": "attached_to_doctype",
	"DocShare": "share_doctype",
	"Activity Log": "reference_doctype",
	"Data Import": "reference_doctype",
	"User Permission": "allow",
	"Property Setter": "doc_type",
	"Custom Field": "dt",
	"Custom DocPerm": "parent",
	"Kanban Board": "reference_doctype",
	"Notification": "document_type",
	"Assignment Rule": "document_type",
}


def app_doctypes() -> list[str]:
	return frappe.get_all("DocType", filters={"module": "CRM App"}, pluck="name")


def remove_records_about_app_doctypes():
	doctypes = app_doctypes()
	if not doctypes:
		return
	for doctype, fieldname in REFERENCING_FIELDS.items():
		if not frappe.db.table_exists(doctype):
			continue
		names = frappe.get_all(doctype, filters={fieldname: ("in", doctypes)}, pluck="name")
		for name in names:
			frappe.delete_doc(doctype, name, ignore_permissions=True, force=True, ignore_on_trash=True)
