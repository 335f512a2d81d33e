app_name = "crm_app"
app_title = "CRM App"
app_publisher = "crm_app contributors"
app_description = "CRM that follows a deal from the first request to the paid invoice and the shipment"
app_email = "crm_app@example.com"
app_license = "mit"

# Apps
# ------------------

required_apps = ["frappe"]

# Jinja
# ----------

# methods for the print formats
jinja = {
	"methods": [
		"crm_app.documents.printing.deal_print_context",
		"crm_app.documents.printing.closing_document_context",
	],
}

# Setup wizard: the app's slide (the seller's requisites, posting to ERPNext, demo data),
# applied after ERPNext's stages (crm_app.quickstart)
setup_wizard_requires = "assets/crm_app/js/setup_wizard.js"
setup_wizard_stages = "crm_app.quickstart.setup_wizard_stages"

# Installation
# ------------

before_install = "crm_app.install.before_install"
after_install = "crm_app.install.after_install"

# Uninstallation
# ------------

before_uninstall = "crm_app.install.before_uninstall"

after_migrate = "crm_app.install.after_migrate"

# Integration Setup
# ------------------
# To set up dependencies/integrations with other apps
# Name of the app being installed is passed as an argument

after_app_install = "crm_app.install.after_app_install"

# Integration Cleanup
# -------------------
# To clean up dependencies/integrations with other apps
# Name of the app being uninstalled is passed as an argument

before_app_uninstall = "crm_app.install.before_app_uninstall"

# Permissions
# -----------
# Permissions evaluated in scripted ways

permission_query_conditions = {
	"Deal": "crm_app.permissions.deal.get_permission_query_conditions",
	# Frappe 15 lists a child table's rows by its parent type with the child's own rule only
	"Deal Item": "crm_app.permissions.deal.get_child_permission_query_conditions",
	"Deal Stage Log": "crm_app.permissions.deal.get_child_permission_query_conditions",
	"Sales Target": "crm_app.permissions.sales_target.get_permission_query_conditions",
}

has_permission = {
	"Deal": "crm_app.permissions.deal.has_permission",
	"Sales Target": "crm_app.permissions.sales_target.has_permission",
}

# Row rules on every door: Frappe's methods that count rows outside frappe.get_list keep
# the rules above (crm_app.permissions.doors)
override_whitelisted_methods = {
	"frappe.desk.listview.get_group_by_count": "crm_app.permissions.doors.get_group_by_count",
	"frappe.desk.search.search_link": "crm_app.permissions.doors.search_link",
	"frappe.desk.search.search_widget": "crm_app.permissions.doors.search_widget",
	"frappe.desk.search.get_link_title": "crm_app.permissions.doors.get_link_title",
	"frappe.utils.global_search.search": "crm_app.permissions.doors.global_search",
	"frappe.workflow.doctype.workflow.workflow.get_workflow_state_count": "crm_app.permissions.doors.get_workflow_state_count",
	"frappe.desk.doctype.tag.tag.get_tagged_docs": "crm_app.permissions.doors.get_tagged_docs",
	"frappe.desk.notifications.get_open_count": "crm_app.permissions.doors.get_open_count",
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.get": "crm_app.permissions.doors.dashboard_chart_get",
	"frappe.utils.goal.get_monthly_goal_graph_data": "crm_app.permissions.doors.get_monthly_goal_graph_data",
	"frappe.desk.form.utils.get_next": "crm_app.permissions.doors.get_next",
	"frappe.client.get": "crm_app.permissions.doors.client_get",
	"frappe.desk.doctype.kanban_board.kanban_board.update_order": "crm_app.permissions.doors.update_order",
	"frappe.desk.form.document_follow.follow_document": "crm_app.permissions.doors.follow_document",
	"frappe.desk.form.document_follow.update_follow": "crm_app.permissions.doors.update_follow",
	# Deprecated paths of the app's own methods before the packages by element (0.1):
	# outside REST clients keep working; removed in 1.0 (README, "Public methods")
	"crm_app.pipeline.cards.paid_this_month": "crm_app.analytics.cards.paid_this_month",
	"crm_app.pipeline.cards.win_rate_this_quarter": "crm_app.analytics.cards.win_rate_this_quarter",
	"crm_app.pipeline.cards.weighted_pipeline": "crm_app.analytics.cards.weighted_pipeline",
	"crm_app.pipeline.cards.lost_reasons_chart": "crm_app.analytics.cards.lost_reasons_chart",
	"crm_app.pipeline.cards.deals_by_stage_chart": "crm_app.analytics.cards.deals_by_stage_chart",
	"crm_app.pipeline.probability.measure_now": "crm_app.analytics.probability.measure_now",
}

# the REST routes the overrides above do not reach (expand_links, linked columns); an auth
# hook runs on every request once the user is known (a before_request hook runs before a
# token's user is)
auth_hooks = ["crm_app.permissions.doors.guard_requests"]

# Document Events
# ---------------
# Hook on document methods and events

doc_events = {
	# while the demo data loads or clears, every record made is listed (crm_app.demo.records)
	"*": {
		"after_insert": "crm_app.demo.records.record",
	},
	# A stage change is one event: a save of the Deal (pipeline.events). Its rules, history
	# and funnel facts are the Deal's own (pipeline.rules); these are its consequences, each
	# asking `pipeline.events.stage_change(doc)`. Frappe's standard Notifications on the
	# Deal (Value Change on stage) follow on the same save.
	"Deal": {
		"before_insert": "crm_app.documents.mailbox.open_deal_from_mail",
		"validate": "crm_app.erpnext_integration.deal_stage.validate_stage_change",
		"on_update": [
			"crm_app.erpnext_integration.deal_stage.post_stage_change",
			"crm_app.documents.reminders.sync_next_contact",
			"crm_app.documents.sms.queue_stage_sms",
		],
	},
	"Workflow": {
		"on_update": [
			"crm_app.pipeline.board.on_workflow_update",
			"crm_app.analytics.probability.on_workflow_update",
			"crm_app.pipeline.setup.on_workflow_update",
		],
	},
	# a request from the web form opens a deal
	"Client Request": {
		"after_insert": "crm_app.documents.requests.open_deal",
	},
	# a received mail stays on a deal only as a real reply or the same thread
	"Communication": {
		"before_insert": "crm_app.documents.mailbox.thread_received_mail",
	},
	"ToDo": {
		"after_insert": "crm_app.documents.assignment.assignee_becomes_responsible",
	},
	# ERPNext integration: the handlers do nothing unless ERPNext posting is enabled.
	"CRM App Settings": {
		"validate": "crm_app.erpnext_integration.settings.validate_settings",
	},
	"Client Company": {
		"on_update": "crm_app.erpnext_integration.masters.update_customer",
	},
	"Catalog Item": {
		"on_update": "crm_app.erpnext_integration.masters.update_item",
	},
	# Lock order: a voucher that may move a deal locks the deal before it takes a naming
	# series or another voucher's row (erpnext_integration.ledger.lock_deals).
	"Sales Invoice": {
		"before_insert": "crm_app.erpnext_integration.ledger.lock_deals",
		"on_change": "crm_app.erpnext_integration.ledger.sales_invoice_on_change",
		"before_submit": "crm_app.erpnext_integration.ledger.sales_invoice_before_posting",
		"before_cancel": "crm_app.erpnext_integration.ledger.sales_invoice_before_posting",
		"on_submit": "crm_app.erpnext_integration.ledger.sales_invoice_on_submit",
		"on_cancel": "crm_app.erpnext_integration.ledger.sales_invoice_on_cancel",
	},
	"Payment Entry": {
		"before_insert": "crm_app.erpnext_integration.ledger.lock_deals",
		"validate": "crm_app.erpnext_integration.ledger.payment_entry_validate",
		"before_submit": "crm_app.erpnext_integration.ledger.voucher_started",
		"before_cancel": "crm_app.erpnext_integration.ledger.voucher_started",
		"on_submit": "crm_app.erpnext_integration.ledger.voucher_done",
		"on_cancel": "crm_app.erpnext_integration.ledger.voucher_done",
	},
	"Journal Entry": {
		"before_insert": "crm_app.erpnext_integration.ledger.lock_deals",
		"before_submit": "crm_app.erpnext_integration.ledger.voucher_started",
		"before_cancel": "crm_app.erpnext_integration.ledger.voucher_started",
		"on_submit": "crm_app.erpnext_integration.ledger.voucher_done",
		"on_cancel": "crm_app.erpnext_integration.ledger.voucher_done",
	},
	"Delivery Note": {
		"before_insert": "crm_app.erpnext_integration.ledger.lock_deals",
		"validate": "crm_app.erpnext_integration.ledger.delivery_note_validate",
		"before_submit": "crm_app.erpnext_integration.ledger.lock_deals",
		"before_cancel": "crm_app.erpnext_integration.ledger.lock_deals",
		"on_submit": "crm_app.erpnext_integration.ledger.delivery_note_changed",
		"on_cancel": "crm_app.erpnext_integration.ledger.delivery_note_changed",
	},
}

# Scheduled Tasks
# ---------------

scheduler_events = {
	"daily": [
		"crm_app.documents.reminders.daily",
		"crm_app.erpnext_integration.reminders.daily",
		"crm_app.analytics.probability.measure",
	],
}

# Testing
# -------

before_tests = "crm_app.tests.setup.before_tests"

# Overriding Methods
# ------------------------------

override_doctype_dashboards = {
	"Deal": "crm_app.erpnext_integration.dashboard.deal_dashboard",
}

# Translation
# ------------
# List of apps whose translatable strings should be excluded from this app's translations.
# ignore_translatable_strings_from = []
