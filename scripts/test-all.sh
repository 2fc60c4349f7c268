#!/usr/bin/env bash
# Every test: types, the API client's freshness, unit, integration on PGlite and on
# PostgreSQL, and the browser. `npm test` runs this; so does CI (.ci/run).
#
# PostgreSQL: uses TEST_DATABASE_URL when set; otherwise starts a throwaway cluster
# when a server is installed (apt-get install postgresql). Browser tests need
# /usr/bin/chromium (apt-get install chromium).
set -uo pipefail
cd "$(dirname "$0")/.."

results=$(mktemp -d)
failed_steps=()
step() { echo; echo "━━ $1"; }
run() { local name=$1; shift; "$@" || failed_steps+=("$name"); }
vitest() { local name=$1; shift; run "$name" npx vitest run --reporter=default --reporter=json --outputFile="$results/$name.json" "$@"; }

step "type check"
run typecheck-server npx tsc --noEmit -p tsconfig.json
run typecheck-web npx tsc --noEmit -p tsconfig.web.json
run api-client npx tsx scripts/gen-api-client.ts --check

step "unit tests"
vitest unit --project unit

step "integration tests on PGlite"
TEST_ENGINE=pglite vitest integration-pglite --project integration

step "integration tests on PostgreSQL"
pg_dir=""
pg_url=${TEST_DATABASE_URL:-}
if [ -z "$pg_url" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if out=$(scripts/pg-throwaway.sh); then pg_url=${out% *}; pg_dir=${out#* }; echo "throwaway PostgreSQL at ${pg_url}"; fi
fi
if [ -n "$pg_url" ]; then
  TEST_ENGINE=postgres TEST_DATABASE_URL=$pg_url vitest integration-postgres --project integration
else
  echo "!! no PostgreSQL server: install Debian's postgresql or set TEST_DATABASE_URL. Counted as a failure."
  failed_steps+=(integration-postgres)
fi
[ -n "$pg_dir" ] && scripts/pg-throwaway.sh stop "$pg_dir"

step "browser tests (Chromium)"
if [ -x /usr/bin/chromium ]; then
  run build-web npm run build:web --silent
  vitest e2e --project e2e
else
  echo "!! /usr/bin/chromium is missing: apt-get install chromium. Counted as a failure."
  failed_steps+=(e2e)
fi

# One closing line over every Vitest run, read by CI.
node -e '
  const fs = require("fs"); let passed = 0, failed = 0, skipped = 0
  for (const f of fs.readdirSync(process.argv[1])) {
    const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + f, "utf8"))
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests || 0)
  }
  console.log("\ntests: " + passed + " passed, " + failed + " failed, " + skipped + " skipped")
' "$results"
rm -rf "$results"
if [ ${#failed_steps[@]} -gt 0 ]; then
  echo "FAILED steps: ${failed_steps[*]}"
  exit 1
fi
echo "all steps passed"
