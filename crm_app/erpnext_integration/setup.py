"""ERPNext-side setup steps."""


def before_tests():
	"""Complete ERPNext's setup wizard (a company, fiscal year and chart of
	accounts) the way ERPNext's own test suite does."""
	from erpnext.setup.utils import before_tests as erpnext_before_tests

	erpnext_before_tests()
