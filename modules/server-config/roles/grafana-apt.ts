/**
 * Grafana is not packaged by Debian: this script (isolated here on purpose)
 * adds Grafana's upstream apt repository, installs grafana, and replaces the
 * default admin/admin login with a random password readable by root only
 * (and, when asked, kept in an SSM SecureString for operators).
 * Pure: no cdktf import.
 */
import { GRAFANA_ADMIN_PASSWORD_PATH, GRAFANA_APT_SETUP_SCRIPT_PATH } from "../paths";
import { CloudConfigFile } from "../../core/cloud-config";

export const GRAFANA_APT_REPOSITORY = "https://apt.grafana.com";

/** Where the generated admin password is also kept for operators: an SSM SecureString encrypted with a key alias. */
export interface GrafanaPasswordParameter {
  readonly name: string;
  readonly region: string;
  /** KMS key alias, e.g. alias/webplat-dev-stage3-grafana. */
  readonly keyAlias: string;
}

export function renderGrafanaAptInstallScript(parameter?: GrafanaPasswordParameter): string {
  // The host's role may only put this one parameter; operators read it with the operator role (README).
  const publish = parameter
    ? `  aws ssm put-parameter --region ${parameter.region} --name ${parameter.name} --type SecureString --key-id ${parameter.keyAlias} --overwrite --value "file://${GRAFANA_ADMIN_PASSWORD_PATH}" >/dev/null
`
    : "";
  return `#!/bin/bash
# Installs Grafana from its upstream apt repository (Debian ships no grafana package).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
install -d -m 0755 /etc/apt/keyrings
curl -fsSL ${GRAFANA_APT_REPOSITORY}/gpg.key -o /etc/apt/keyrings/grafana.asc
echo "deb [signed-by=/etc/apt/keyrings/grafana.asc] ${GRAFANA_APT_REPOSITORY} stable main" >/etc/apt/sources.list.d/grafana.list
apt-get update
apt-get install -y --no-install-recommends grafana
systemctl daemon-reload
systemctl enable --now grafana-server
if [ ! -s ${GRAFANA_ADMIN_PASSWORD_PATH} ]; then
  install -d -m 0700 "$(dirname ${GRAFANA_ADMIN_PASSWORD_PATH})"
  (umask 077 && openssl rand -base64 24 >${GRAFANA_ADMIN_PASSWORD_PATH})
  grafana-cli --homepath /usr/share/grafana admin reset-admin-password "$(cat ${GRAFANA_ADMIN_PASSWORD_PATH})"
${publish}fi
`;
}

export function grafanaAptInstallFile(parameter?: GrafanaPasswordParameter): CloudConfigFile {
  return { path: GRAFANA_APT_SETUP_SCRIPT_PATH, content: renderGrafanaAptInstallScript(parameter), permissions: "0750" };
}
