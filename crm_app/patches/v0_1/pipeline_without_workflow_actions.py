from crm_app.pipeline.setup import skip_workflow_actions


def execute():
	skip_workflow_actions()
