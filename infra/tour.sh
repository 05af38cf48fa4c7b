#!/usr/bin/env bash
# The README's admin API tour as one script, run by a test against a fresh
# local stack so that every command it shows keeps working:
#   ./infra/tour.sh [base URL]      (default http://127.0.0.1:3000)
# It needs curl and python3 (to read fields of the JSON answers). The
# README shows the lines between the two markers below, as they are.
set -euo pipefail
B="${1:-http://127.0.0.1:3000}"
K="x-api-key: ${PULSE_ADMIN_API_KEY:-local-dev-key}"
cd "$(mktemp -d)"
# --- tour ---
# field NAME: one field of the JSON answer on stdin (a.b for nested fields)
field() { python3 -c 'import json,sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."): v = v[k]
print(v)' "$1"; }
# a project, published (respondents see published versions only), with a logo
ID=$(curl -sf -H "$K" -H 'content-type: application/json' $B/admin/projects -d '{
  "kind": "quick_check_in",
  "settings": { "organisation_name": "Demo GmbH", "business_type": "B2B",
                "languages": ["de", "en"], "operational_fields": ["Region"],
                "follow_ups": { "enabled": true, "recipients": ["cx@example.com"] } } }' | field id)
curl -sf -H "$K" -X POST $B/admin/projects/$ID/publish > /dev/null
printf '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#102a43"/></svg>' > logo.svg
curl -sf -H "$K" -X PUT -H 'content-type: image/svg+xml' --data-binary @logo.svg $B/admin/projects/$ID/logo > /dev/null
curl -sf -H "$K" $B/admin/openapi.json > openapi.json                  # every admin route
# contact upload: a CSV with the required columns and the project's operational fields;
# ask for a presigned URL, PUT the file there, watch the import until it is done
printf 'Email,FirstName,LastName,Region\nanna@example.com,Anna,Schmidt,Nord\nben@example.com,Ben,Jones,South\n' > customers.csv
curl -sf -H "$K" -H 'content-type: application/json' $B/admin/projects/$ID/uploads -d '{"file_name":"customers.csv"}' > upload.json
curl -sf -X PUT -H 'Content-Type: text/csv' --data-binary @customers.csv "$(field upload.url < upload.json)"
UPLOAD=$(field upload_id < upload.json); LIST=$(field list_id < upload.json)
for _ in $(seq 60); do
  [ "$(curl -sf -H "$K" $B/admin/projects/$ID/uploads/$UPLOAD | field state)" = done ] && break; sleep 1
done
curl -sf -w '\n' -H "$K" $B/admin/projects/$ID/uploads/$UPLOAD    # state, counts, progress, report links
# invite the list; the invitations appear in the outbox ($B/_local/outbox)
curl -sf -w '\n' -H "$K" -H 'content-type: application/json' $B/admin/projects/$ID/distributions -d '{"list_id": "'$LIST'",
  "messages": {"de": {"subject": "{{FirstName}}, wie machen wir uns?", "body": "Bitte antworten Sie: {{SurveyLink}}"},
               "en": {"subject": "{{FirstName}}, how are we doing?", "body": "Please answer: {{SurveyLink}}"}}}'
curl -sf -w '\n' -X POST -H 'content-type: application/json' $B/_local/clock -d '{"seconds": 259200}'   # 3 days later (reminders, triggers)
# reports: the figures now, or the HTML/CSV/JSON report (then GET …/reports/<report id> for its links)
curl -sf -H "$K" "$B/admin/projects/$ID/figures?period=week&segments=Region" > figures.json
curl -sf -w '\n' -H "$K" -X POST $B/admin/projects/$ID/reports
# budgets: an account on a plan, the project counting against it, the budget view
ACCOUNT=$(curl -sf -H "$K" -H 'content-type: application/json' $B/admin/accounts \
  -d '{"name": "Demo GmbH", "plan": "Starter", "time_zone": "Europe/Berlin"}' | field id)
curl -sf -H "$K" -X PATCH -H 'content-type: application/json' $B/admin/projects/$ID -d '{"settings": {"account_id": "'$ACCOUNT'"}}' > /dev/null
curl -sf -w '\n' -H "$K" $B/admin/accounts/$ACCOUNT/budget
curl -sf -w '\n' -H "$K" $B/admin/health
curl -sf -w '\n' -H "$K" -H 'content-type: application/json' -d '{"to":"you@example.com"}' $B/admin/test-email
echo "Project $ID: open $B/console/projects/$ID or its report at $B/_local/projects/$ID/report"
# --- end of tour ---
