#!/usr/bin/env bash
# `npm run setup`: everything a fresh machine needs, then synthesize every stack
# on the embedded default configuration into cdktf.out/stacks/<name>/cdk.tf.json.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== npm ci"
npm ci --no-audit --no-fund

echo "== Debian validators used by the tests (haproxy, keepalived, nginx, prometheus, shellcheck, yamllint)"
if [ "$(id -u)" -eq 0 ]; then
  bash scripts/install-validators.sh
else
  echo "setup: not root: skipping apt packages; run 'sudo bash scripts/install-validators.sh' before 'npm test'" >&2
fi

echo "== synth (default configuration)"
node node_modules/ts-node/dist/bin.js --swc main.ts
ls -1 cdktf.out/stacks/*/cdk.tf.json
