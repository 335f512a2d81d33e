app_name = "crm_app"
app_title = "CRM App"
app_publisher = "crm_app contributors"
app_description = "CRM that follows a deal from the first request to the paid invoice and the shipment"
app_email = "crm_app@example.com"
app_license = "mit"

# Apps
# ------------------

required_apps = ["frappe"]

# Installation
# ------------

before_install = "crm_app.install.before_install"
after_install = "crm_app.install.after_install"

# Uninstallation
# ------------

before_uninstall = "crm_app.install.before_uninstall"

# Integration Setup
# ------------------
# To set up dependencies/integrations with other apps
# Name of the app being installed is passed as an argument

after_app_install = "crm_app.install.after_app_install"

# Permissions
# -----------
# Integration Setup
# ------------------
# To set up dependencies/integrations with other apps
# Name of the app being installed is passed as an argument

after_app_install = "crm_app.install.after_app_install"

# Permissions evaluated in scripted ways

permission_query_conditions = {
	"Deal": "crm_app.permissions.deal.get_permission_query_conditions",
}

has_permission = {
	"Deal": "crm_app.permissions.deal.has_permission",
}

# Document Events
# ---------------
# Hook on document methods and events

doc_events = {
	"Workflow": {
		"on_update": "crm_app.pipeline.board.on_workflow_update",
	},
}

# Testing
# -------

before_tests = "crm_app.tests.setup.before_tests"

# Translation
# ------------
# List of apps whose translatable strings should be excluded from this app's translations.
# ignore_translatable_strings_from = []
