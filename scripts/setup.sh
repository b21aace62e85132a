#!/usr/bin/env bash
# Set up partner-graph in ./.venv (created if missing). Idempotent.
#   scripts/setup.sh          runtime only: enough for `partner-graph demo`
#   scripts/setup.sh --test   also the test tools, the Cypher linter (npm ci) and, where java and mvn
#                             exist, the local Neo4j launcher for the live tests (scripts/neo4j-local.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "partner-graph needs Python >= 3.11" >&2; exit 1; }
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install --quiet -e '.[test]'
  if [ -f package-lock.json ]; then npm ci --silent --no-audit --no-fund; fi
  if command -v java >/dev/null && command -v mvn >/dev/null; then
    scripts/neo4j-local.sh build
  else
    echo "setup: java or mvn not found; the live Neo4j tests will skip (README, section 'Live Neo4j')" >&2
  fi
else
  .venv/bin/python -m pip install --quiet -e .
fi
