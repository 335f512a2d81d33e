"""Demo data: a year of a Russian company's sales on a site in one command
(`bench --site <site> crm-app demo`, `crm-app quickstart --demo`, or the setup wizard's
"Load demo data"), and its exact removal (`crm-app demo --clear`).

- `data` — the year as plain data (companies with valid requisites, contacts, catalog, team,
  every deal's moves and their moments, targets); pure, checked offline.
- `load` — carries the plan out through the CRM's and ERPNext's own flows at the planned
  moments.
- `records` — which records are the demo's, and their removal.

It stands on top of the elements (clients, catalog, deals, pipeline, analytics,
erpnext_integration), beside the quick start, and nothing below imports it.
"""
