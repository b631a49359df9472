#!/usr/bin/env bash
# `npm test`: type-check, the jest suite (real daemons included), then the real
# terraform validate + plan of every stack against the local provider mirror.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p cdktf.out

echo "== type-check (tsc --noEmit)"
node node_modules/typescript/bin/tsc --noEmit -p tsconfig.json

echo "== package: entry points, build (dist/), public API report — \`npm run api:update\` regenerates both"
node scripts/package/entry-points.js --check
node scripts/package/build.js
node scripts/package/api-report.js

echo "== jest"
status=0
node node_modules/jest/bin/jest.js --json --outputFile=cdktf.out/jest-results.json "$@" || status=$?
node -e '
  const r = require("./cdktf.out/jest-results.json");
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' || true
[ "$status" -eq 0 ] || exit "$status"

echo "== plan:offline (terraform init/validate/plan, real AWS provider, no network)"
node node_modules/ts-node/dist/bin.js --swc scripts/plan-offline.ts

echo "== rehearsal (apply → re-plan → destroy against the local emulator)"
# REHEARSAL_STACKS overrides which stacks npm test rehearses (README "Apply rehearsal": timings).
if ! "${REHEARSAL_PYTHON:-python3}" -c "import moto, boto3" 2>/dev/null; then
  echo "rehearsal: moto and boto3 not found under ${REHEARSAL_PYTHON:-python3}"
  if [ -n "${CI:-}" ]; then echo "rehearsal: CI must run the rehearsal: FAILED"; exit 1; fi
  echo "rehearsal: SKIPPED (not CI)"
  exit 0
fi
(cd scripts/rehearsal && "${REHEARSAL_PYTHON:-python3}" -m unittest -q test_moto_patches)
# Two stacks at once, each with its own emulator (most of the time is the provider waiting on RDS); every stack that
# passes. Longest first: one worker takes stage 4 (~23 min under load), the other stages 3..0 in its shadow
# (README "Apply rehearsal": timings). The promotion rehearsal (--promotion) is run by hand, not here.
# shellcheck disable=SC2086
REHEARSAL_CONCURRENCY="${REHEARSAL_CONCURRENCY:-2}" node node_modules/ts-node/dist/bin.js --swc scripts/rehearse.ts ${REHEARSAL_STACKS:-stage0-single-server stage1-distributed stage2-secured-monitored stage3-scale-up stage4-warm-standby}
