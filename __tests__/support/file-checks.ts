/**
 * Which real tool checks which rendered file. Every file a role writes must
 * either have a check here or be listed as having no tool (with the reason).
 */
import { writeFileSync } from "fs";
import { join } from "path";
import {
  ALERT_RULES_PATH,
  ALERTMANAGER_CONFIG_PATH,
  BLACKBOX_CONFIG_PATH,
  GRAFANA_DASHBOARD_PATH,
  GRAFANA_DASHBOARD_PROVIDER_PATH,
  GRAFANA_DATASOURCES_PATH,
  HAPROXY_BACKENDS_PATH,
  HAPROXY_CFG_PATH,
  INSTANCE_CONNECT_SSHD_CONFIG_PATH,
  KEEPALIVED_CONF_PATH,
  NGINX_CONF_PATH,
  PROMETHEUS_CONFIG_PATH,
} from "../../modules/server-config/paths";
import { RenderedFile, renderedFile } from "./rendered-files";
import { CheckResult, run, toCheck, withTempDir } from "./tools";
import { checkAlertRules, checkAlertmanager, checkBlackbox, checkGrafana, checkHaproxy, checkKeepalived, checkNginx, checkPrometheus, checkShell, checkSshdDropIn, checkSystemdUnits, checkYaml } from "./validators";

export interface NamedCheck {
  tool: string;
  run: () => CheckResult;
}

function checkPython(text: string): CheckResult {
  return withTempDir("check-python", (dir) => {
    const file = join(dir, "app.py");
    writeFileSync(file, text);
    return toCheck(run("/usr/bin/python3", ["-m", "py_compile", file]));
  });
}

/** A PEM CA file: every certificate parses, is a CA and stays valid for at least a year. */
function checkCaBundle(text: string): CheckResult {
  return withTempDir("check-ca", (dir) => {
    const file = join(dir, "ca.pem");
    writeFileSync(file, text);
    const script = `set -e; n=0; while openssl x509 -noout -checkend 31536000 -ext basicConstraints 2>/dev/null | grep -q "CA:TRUE"; do n=$((n+1)); done < "${file}"; [ "$n" -eq "$(grep -c "BEGIN CERTIFICATE" "${file}")" ] && [ "$n" -gt 0 ]`;
    return toCheck(run("bash", ["-c", script]));
  });
}

/** Docker client config: JSON (python3's parser) whose credHelpers name the ECR helper that Debian's amazon-ecr-credential-helper installs. */
function checkDockerConfig(text: string): CheckResult {
  const script = "import json,sys; d=json.load(sys.stdin); h=d['credHelpers']; assert h and all(v=='ecr-login' and k.split('.')[1:3]==['dkr','ecr'] for k,v in h.items()), h";
  return toCheck(run("python3", ["-c", script], { input: text }));
}

/** Files no tool here can check, and why. */
export const UNCHECKED_FILES: Record<string, string> = {
  "/etc/default/haproxy": "systemd EnvironmentFile (one variable); its effect is checked by the haproxy -f main -f backends check",
  "/var/www/site/index.html": "static placeholder page",
  "/etc/platform/app.env": "KEY=value environment file; its values are asserted by the stage tests",
  "/etc/default/prometheus-alertmanager": "systemd EnvironmentFile (ARGS); the alerting drill starts Alertmanager with exactly these flags",
  "/etc/default/prometheus-blackbox-exporter": "systemd EnvironmentFile (ARGS); its --config.file is the checked blackbox.yml, asserted by the alerting tests",
};

/** A full nginx.conf around a Debian site file, as Debian's nginx.conf would include it. */
export function wrapNginxSite(site: string): string {
  return `pid /run/nginx.pid;\nevents {}\nhttp {\n  access_log /var/log/nginx/access.log;\n${site}}\n`;
}
export function uncheckedReason(path: string): string | undefined {
  return UNCHECKED_FILES[path];
}

export function checksFor(file: RenderedFile): NamedCheck[] {
  const { path, content, role } = file;
  if (path === HAPROXY_CFG_PATH) {
    return [{ tool: "haproxy -c -dW", run: () => checkHaproxy(content, renderedFile(role, HAPROXY_BACKENDS_PATH)) }];
  }
  if (path === HAPROXY_BACKENDS_PATH) {
    return [{ tool: "haproxy -c -dW", run: () => checkHaproxy(renderedFile(role, HAPROXY_CFG_PATH), content) }];
  }
  if (path === KEEPALIVED_CONF_PATH) return [{ tool: "keepalived -t", run: () => checkKeepalived(content) }];
  if (path === NGINX_CONF_PATH) return [{ tool: "nginx -t", run: () => checkNginx(content) }];
  if (path === "/etc/nginx/sites-available/default") return [{ tool: "nginx -t", run: () => checkNginx(wrapNginxSite(content)) }];
  if (path === PROMETHEUS_CONFIG_PATH) {
    const rules: Record<string, string> = content.includes(ALERT_RULES_PATH) ? { [ALERT_RULES_PATH]: renderedFile(role, ALERT_RULES_PATH) } : {};
    return [
      { tool: "promtool check config", run: () => checkPrometheus(content, rules) },
      { tool: "yamllint", run: () => checkYaml(content) },
    ];
  }
  if (path === ALERT_RULES_PATH) {
    return [
      { tool: "promtool check rules", run: () => checkAlertRules(content) },
      { tool: "yamllint", run: () => checkYaml(content) },
    ];
  }
  if (path === ALERTMANAGER_CONFIG_PATH) {
    return [
      { tool: "amtool check-config", run: () => checkAlertmanager(content) },
      { tool: "yamllint", run: () => checkYaml(content) },
    ];
  }
  if (path === BLACKBOX_CONFIG_PATH) {
    return [
      { tool: "blackbox_exporter --config.check", run: () => checkBlackbox(content) },
      { tool: "yamllint", run: () => checkYaml(content) },
    ];
  }
  if (path === GRAFANA_DATASOURCES_PATH) return [{ tool: "yamllint + schema", run: () => checkGrafana("datasources", content) }];
  if (path === GRAFANA_DASHBOARD_PROVIDER_PATH) return [{ tool: "yamllint + schema", run: () => checkGrafana("dashboard-provider", content) }];
  if (path === GRAFANA_DASHBOARD_PATH) return [{ tool: "schema", run: () => checkGrafana("dashboard", content) }];
  if (path.endsWith(".pem") && content.includes("BEGIN CERTIFICATE")) return [{ tool: "openssl x509 (CA, valid ≥ 1 year)", run: () => checkCaBundle(content) }];
  if (/^\/etc\/systemd\/system\/[^/]+\.service$/.test(path)) return [{ tool: "systemd-analyze verify", run: () => checkSystemdUnits({ [path]: content }) }];
  if (/^\/etc\/systemd\/system\/[^/]+\.timer$/.test(path)) {
    // A timer is verified with the service it starts.
    const service = path.replace(/\.timer$/, ".service");
    return [{ tool: "systemd-analyze verify", run: () => checkSystemdUnits({ [path]: content, [service]: renderedFile(role, service) }) }];
  }
  if (path === INSTANCE_CONNECT_SSHD_CONFIG_PATH) return [{ tool: "sshd -t", run: () => checkSshdDropIn(content) }];
  if (path.endsWith("/docker/config.json")) return [{ tool: "python3 json + credHelpers", run: () => checkDockerConfig(content) }];
  if (content.startsWith("#!/bin/bash")) return [{ tool: "shellcheck", run: () => checkShell(content) }];
  if (content.startsWith("#!/bin/sh\n")) return [{ tool: "shellcheck --shell=sh", run: () => checkShell(content, "sh") }];
  if (content.startsWith("#!/usr/bin/python3")) return [{ tool: "python3 -m py_compile", run: () => checkPython(content) }];
  return [];
}
