"""The app's bench commands (Frappe's `commands` hook: `bench --site <site> crm-app …`)."""

import click

from frappe.commands import pass_context


@click.group("crm-app")
def crm_app_commands():
	"""crm_app: quick start of a site."""


@crm_app_commands.command("quickstart")
@click.option("--inn", help="The seller's INN: its requisites come from the state register when it is on")
@click.option(
	"--company", "company_name", default="ООО «Демо»", help="ERPNext's company, where its setup is not done"
)
@click.option("--abbr", default="ДЕМО", help="The company's abbreviation")
@click.option("--language", default="ru", help="The site's language where its setup is not done")
@pass_context
def quickstart(context, inn=None, company_name=None, abbr=None, language=None):
	"""Complete what a new site needs before its first deal (crm_app.quickstart)."""
	import frappe

	from crm_app import quickstart as steps

	for site in context.sites:
		frappe.init(site)
		frappe.connect()
		try:
			done = steps.run(company_name=company_name, abbr=abbr, inn=inn, language=language)
			for line in done or ["nothing to do: the site is ready"]:
				click.echo(f"{site}: {line}")
		finally:
			frappe.destroy()


commands = [crm_app_commands]
