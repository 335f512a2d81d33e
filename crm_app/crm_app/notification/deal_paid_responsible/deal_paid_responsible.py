def get_context(context):
	"""The message is rendered with the deal as `doc`; nothing to add."""
