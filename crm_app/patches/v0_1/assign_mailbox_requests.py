from crm_app.documents.assignment import widen_default_condition


def execute():
	widen_default_condition()
