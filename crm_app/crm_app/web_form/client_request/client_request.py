def get_context(context):
	"""The form needs nothing beyond what Frappe provides."""
