from crm_app.documents.assignment import update_default_condition


def execute():
	update_default_condition()
