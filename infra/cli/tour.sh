#!/usr/bin/env bash
# The README's `pulse` tour as one script, run by a test against a fresh
# local stack so that every command it shows keeps working:
#   ./infra/cli/tour.sh      (the local stack on $PULSE_PORT, default 3000; `pulse` on the PATH)
# The README shows the lines between the two markers below, as they are.
set -euo pipefail
cd "$(mktemp -d)"
# --- tour ---
cat > pulse.yaml <<'YAML'
kind: quick_check_in
settings: {organisation_name: Demo GmbH, business_type: B2B, languages: [de, en], operational_fields: [Region]}
YAML
cat > invitation.yaml <<'YAML'
messages:
  de: {subject: "{{FirstName}}, wie machen wir uns?", body: "Bitte antworten Sie: {{SurveyLink}}"}
  en: {subject: "{{FirstName}}, how are we doing?", body: "Please answer: {{SurveyLink}}"}
YAML
printf 'Email,FirstName,LastName,Region\nanna@example.com,Anna,Schmidt,Nord\nben@example.com,Ben,Jones,South\n' > customers.csv
printf '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#102a43"/></svg>' > logo.svg
P=$(pulse --local projects create -f pulse.yaml -q)            # -q: only the id
pulse --local projects publish $P
pulse --local projects logo $P logo.svg
pulse --local contacts upload customers.csv --project $P --list customers   # bytes, then the import, then the outcome
pulse --local send --project $P --list customers --message-file invitation.yaml --dry-run   # sent, skipped by reason, budget
pulse --local send --project $P --list customers --message-file invitation.yaml --watch
pulse --local figures --project $P --period week --segments Region
pulse --local report --project $P --wait                       # --open opens the dashboard
A=$(pulse --local accounts create "Demo GmbH" --time-zone Europe/Berlin -q)
echo "account_id: $A" > account.yaml
pulse --local projects edit $P -f account.yaml                 # a merge patch of the settings
pulse --local budget --project $P
pulse --local contacts erase anna@example.com --project $P --yes
pulse --local doctor
# --- end of tour ---
echo "Project $P"
