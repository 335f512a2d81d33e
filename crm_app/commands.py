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
@click.option("--demo", is_flag=True, help="Load the demo data too (see crm-app demo)")
@pass_context
def quickstart(context, inn=None, company_name=None, abbr=None, language=None, demo=False):
	"""Complete what a new site needs before its first deal (crm_app.quickstart)."""
	from crm_app import quickstart as steps

	def run():
		import frappe

		done = steps.run(company_name=company_name, abbr=abbr, inn=inn, language=language, demo=demo)
		return done or [frappe._("Nothing to do: the site is ready")]

	_on_sites(context, run)


@crm_app_commands.command("demo")
@click.option("--clear", is_flag=True, help="Remove exactly the demo records, leaving your own")
@click.option("--deals", default=400, show_default=True, help="How many deals the demo year has")
@click.option("--clients", default=60, show_default=True, help="How many client companies")
@pass_context
def demo(context, clear=False, deals=400, clients=60):
	"""Load a year of demo sales (crm_app.demo), or remove it with --clear."""
	from crm_app.demo import load

	_on_sites(context, load.clear if clear else lambda: load.load(deals=deals, clients=clients))


def _on_sites(context, steps):
	"""Run `steps` on every site of the command, echoing its lines; a refusal (frappe.throw)
	is printed as its message and ends the command with status 1."""
	import frappe

	for site in context.sites:
		frappe.init(site)
		frappe.connect()
		try:
			# in the site's language, as its desk (a bench command starts in English)
			frappe.local.lang = frappe.db.get_single_value("System Settings", "language") or "en"
			for line in steps() or []:
				click.echo(f"{site}: {line}")
		except frappe.ValidationError as error:
			click.echo(f"{site}: {frappe.utils.strip_html(str(error))}", err=True)
			raise SystemExit(1) from None
		finally:
			frappe.destroy()


commands = [crm_app_commands]
