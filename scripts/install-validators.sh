#!/usr/bin/env bash
# Installs the Debian 12 daemons and linters that the server-config tests and
# drills run for real (haproxy -c, keepalived -t, nginx -t, promtool, shellcheck,
# yamllint, node_exporter, Alertmanager + amtool, blackbox_exporter, netns tooling, redis-server for the app's cache test). Idempotent: installs nothing when
# every tool is already present. Must run as root (CI runs it before the tests).
set -euo pipefail

# tool on PATH -> Debian package that provides it
declare -A PACKAGE_OF=(
  [haproxy]=haproxy
  [keepalived]=keepalived
  [nginx]=nginx-light
  [prometheus]=prometheus
  [promtool]=prometheus
  [prometheus-node-exporter]=prometheus-node-exporter
  [prometheus-alertmanager]=prometheus-alertmanager
  [amtool]=prometheus-alertmanager
  [prometheus-blackbox-exporter]=prometheus-blackbox-exporter
  [shellcheck]=shellcheck
  [jq]=jq
  [systemd-analyze]=systemd
  [yamllint]=yamllint
  [ip]=iproute2
  [openssl]=openssl
  [pgrep]=procps
  [curl]=curl
  [unshare]=util-linux
  [mariadbd]=mariadb-server
  [mariadb-install-db]=mariadb-server
  [sshd]=openssh-server
  [ssh]=openssh-client
  [ssh-keygen]=openssh-client
  [redis-server]=redis-server
)
# Python modules the reference application needs (the stack twins run it with Debian's python3).
declare -A PACKAGE_OF_MODULE=(
  [pymysql]=python3-pymysql
  [boto3]=python3-boto3
  [redis]=python3-redis
)

export PATH="$PATH:/usr/sbin:/sbin"
missing=()
for tool in "${!PACKAGE_OF[@]}"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    missing+=("${PACKAGE_OF[$tool]}")
  fi
done
for module in "${!PACKAGE_OF_MODULE[@]}"; do
  if ! /usr/bin/python3 -c "import $module" >/dev/null 2>&1; then
    missing+=("${PACKAGE_OF_MODULE[$module]}")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-validators: all tools present, nothing to do"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-validators: missing packages (${missing[*]}) and not root; re-run as root" >&2
  exit 1
fi

mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "install-validators: installing ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
# openssh-server is only a validator here (sshd -t and the Instance Connect test start their own sshd): Debian's
# init script and unit do nothing while this file exists, so installing it never starts an sshd on this machine.
mkdir -p /etc/ssh && touch /etc/ssh/sshd_not_to_be_run
apt-get update
apt-get install -y --no-install-recommends "${packages[@]}"

for tool in "${!PACKAGE_OF[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install-validators: $tool still missing after install" >&2; exit 1; }
done
for module in "${!PACKAGE_OF_MODULE[@]}"; do
  /usr/bin/python3 -c "import $module" || { echo "install-validators: python module $module still missing after install" >&2; exit 1; }
done
echo "install-validators: installed ${packages[*]}"
# sed reads every line: with head, a tool that is still writing gets SIGPIPE and pipefail fails setup
haproxy -v | sed -n 1p
keepalived --version 2>&1 | sed -n 1p
nginx -v 2>&1
promtool --version 2>&1 | sed -n 1p
amtool --version 2>&1 | sed -n 1p
sshd -V 2>&1 | sed -n 1p
