"""Settings declared with a default (Submit Invoices, Payment Due (Days) …) that existing
sites stored empty because the field arrived after their settings were first saved: the
default is stored where no user ever changed the field, and every setting still missing
from the stored record gets its default."""

from crm_app.install import fill_settings_defaults, repair_settings_defaults


def execute():
	repair_settings_defaults()
	fill_settings_defaults()
