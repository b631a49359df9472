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
  # apt needs root: as another user it only reports what is missing.
  if ! bash scripts/install-validators.sh; then
    echo "setup: continuing without them: synth works; npm test needs them (sudo bash scripts/install-validators.sh)" >&2
  fi
  echo "setup: not root: keepalived -t, nginx -t and the network-namespace drills run only as root; as this user, run npm test with SKIP_DAEMON_TESTS=1" >&2
fi

echo "== synth (default configuration)"
node node_modules/ts-node/dist/bin.js --swc main.ts
ls -1 cdktf.out/stacks/*/cdk.tf.json
