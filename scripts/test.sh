#!/usr/bin/env bash
# The whole test suite: installs what it needs, then runs every crate's tests, the rule
# fixtures, the CLI integration tests and, when ../shared is present, every conformance suite.
# Under CI=true a missing conformance suite fails instead of being skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cargo test --workspace --locked --no-fail-fast
if [ -x scripts/agent-e2e.sh ] && [ "$(id -u)" -eq 0 ] && [ "${RAMPART_SKIP_AGENT_E2E:-}" != 1 ]; then
  scripts/agent-e2e.sh
fi
