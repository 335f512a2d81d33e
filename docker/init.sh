#!/bin/bash
# The frappe container's start (docker-compose.yml): the first time, a Frappe 15 bench with
# ERPNext and this app (from the checkout mounted at /workspace/crm_app), and the site crm.localhost
# made ready by the app's own quick start (setup wizard, VAT account, settings);
# every time, the bench started. After `bench init`, the steps are those of the README's
# "Quick start on an existing bench".
set -euo pipefail
BENCH=/home/frappe/frappe-bench
SITE="${SITE:-crm.localhost}"

if [ ! -d "$BENCH/apps/frappe" ]; then
	echo "== a new bench (Frappe ${FRAPPE_BRANCH}, ERPNext ${ERPNEXT_BRANCH})"
	bench init --skip-redis-config-generation --frappe-branch "$FRAPPE_BRANCH" "$BENCH"
	cd "$BENCH"
	bench set-mariadb-host mariadb
	bench set-redis-cache-host redis://redis:6379
	bench set-redis-queue-host redis://redis:6379
	bench set-redis-socketio-host redis://redis:6379
	# the containers give Redis; nothing is watched for changes
	sed -i '/redis/d;/watch/d' ./Procfile
	bench get-app --branch "$ERPNEXT_BRANCH" erpnext
	bench get-app /workspace/crm_app
fi

cd "$BENCH"
if [ ! -d "sites/$SITE" ]; then
	echo "== the site $SITE"
	bench new-site "$SITE" --force --mariadb-root-password "$DB_ROOT_PASSWORD" --admin-password admin \
		--no-mariadb-socket --install-app erpnext --install-app crm_app
	bench --site "$SITE" set-config mute_emails 1
	bench --site "$SITE" crm-app quickstart --demo
	bench use "$SITE"
fi

bench start
