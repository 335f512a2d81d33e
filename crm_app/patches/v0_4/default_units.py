from crm_app.catalog.setup import ensure_units


def execute():
	"""Sites installed before CRM App Settings had its Units table get the common units."""
	ensure_units()
