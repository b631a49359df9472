/**
 * Each harness check must be able to fail: a broken variant of a real
 * rendered file is rejected by the same check that accepts the original.
 */
import {
  GRAFANA_DASHBOARD_PATH,
  GRAFANA_DASHBOARD_PROVIDER_PATH,
  GRAFANA_DATASOURCES_PATH,
  HAPROXY_BACKENDS_PATH,
  HAPROXY_CFG_PATH,
  FAILOVER_SCRIPT_PATH,
  KEEPALIVED_CONF_PATH,
  NGINX_CONF_PATH,
  PROMETHEUS_CONFIG_PATH,
} from "../../modules/server-config/paths";
import { REFERENCE_APP_UNIT_PATH } from "../../modules/server-config/reference-app/reference-app";
import { renderedFile } from "../support/rendered-files";
import { describeWithTools } from "../support/tools";
import {
  checkGrafana,
  checkHaproxy,
  checkKeepalived,
  checkNginx,
  checkPrometheus,
  checkShell,
  checkSystemdUnits,
  checkYaml,
  HARNESS_TOOLS,
} from "../support/validators";

function replaceOnce(text: string, from: string | RegExp, to: string): string {
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`test setup: ${String(from)} not found`);
  return changed;
}

describeWithTools("harness checks reject broken files", HARNESS_TOOLS, true, () => {
  const haproxyCfg = renderedFile("lb-a", HAPROXY_CFG_PATH);
  const backends = renderedFile("lb-a", HAPROXY_BACKENDS_PATH);

  it("haproxy: accepts the rendered pair of files", () => {
    expect(checkHaproxy(haproxyCfg, backends).ok).toBe(true);
  });
  it("haproxy: rejects an unknown keyword", () => {
    const result = checkHaproxy(replaceOnce(haproxyCfg, "    option redispatch\n", "    option redispatch\n    bogus_keyword on\n"), backends);
    expect(result).toMatchObject({ ok: false, output: expect.stringMatching(/bogus_keyword/) });
  });
  it("haproxy: rejects a warning (zero-warning mode)", () => {
    const result = checkHaproxy(replaceOnce(haproxyCfg, "    option dontlog-normal\n", "    no log\n"), backends);
    expect(result).toMatchObject({ ok: false, output: expect.stringMatching(/WARNING/) });
  });
  it("haproxy: rejects a main file whose default backend is missing", () => {
    expect(checkHaproxy(haproxyCfg, "# no backend\n").ok).toBe(false);
  });

  const keepalived = renderedFile("lb-a", KEEPALIVED_CONF_PATH);
  it("keepalived: accepts the rendered file", () => {
    expect(checkKeepalived(keepalived).ok).toBe(true);
  });
  it("keepalived: rejects a config without a VIP", () => {
    const result = checkKeepalived(replaceOnce(keepalived, /    virtual_ipaddress \{[^}]*\}\n/, ""));
    expect(result).toMatchObject({ ok: false, output: expect.stringMatching(/No VIP/) });
  });
  it("keepalived: rejects an unknown keyword", () => {
    expect(checkKeepalived(replaceOnce(keepalived, "    advert_int 1\n", "    advert_int 1\n    bogus_keyword 3\n")).ok).toBe(false);
  });

  const nginx = renderedFile("web", NGINX_CONF_PATH);
  it("nginx: rejects a missing semicolon", () => {
    const result = checkNginx(replaceOnce(nginx, "server_tokens off;", "server_tokens off"));
    expect(result.ok).toBe(false);
  });
  it("nginx: rejects an unknown directive", () => {
    expect(checkNginx(replaceOnce(nginx, "server_tokens off;", "server_tokens off;\n    bogus_directive on;")).ok).toBe(false);
  });

  const prometheus = renderedFile("monitoring", PROMETHEUS_CONFIG_PATH);
  it("promtool: rejects an invalid relabel action", () => {
    const result = checkPrometheus(replaceOnce(prometheus, "        target_label: region\n", "        target_label: region\n        action: bogus\n"));
    expect(result.ok).toBe(false);
  });
  it("promtool: rejects an invalid relabel regex", () => {
    expect(checkPrometheus(replaceOnce(prometheus, 'regex: "(.+)"', 'regex: "(.+"')).ok).toBe(false);
  });

  it("shellcheck: rejects an unquoted expansion", () => {
    const script = renderedFile("lb-a", FAILOVER_SCRIPT_PATH);
    const result = checkShell(replaceOnce(script, 'log "this instance is $INSTANCE_ID"', "echo this instance is $INSTANCE_ID; cd $HOME"));
    expect(result).toMatchObject({ ok: false, output: expect.stringMatching(/SC2086|SC2164/) });
  });

  it("yamllint: rejects a duplicated key", () => {
    expect(checkYaml(replaceOnce(prometheus, "global:\n", "global:\n  scrape_interval: 5s\n")).ok).toBe(false);
  });
  it("yamllint: rejects trailing spaces (warnings are errors)", () => {
    expect(checkYaml(replaceOnce(prometheus, "global:\n", "global:   \n")).ok).toBe(false);
  });

  it("grafana: rejects a datasource of another type", () => {
    const text = replaceOnce(renderedFile("monitoring", GRAFANA_DATASOURCES_PATH), "type: prometheus", "type: mysql");
    expect(checkGrafana("datasources", text).ok).toBe(false);
  });
  it("grafana: rejects an editable datasource", () => {
    const text = replaceOnce(renderedFile("monitoring", GRAFANA_DATASOURCES_PATH), "editable: false", "editable: true");
    expect(checkGrafana("datasources", text).ok).toBe(false);
  });
  it("grafana: rejects a dashboard provider that is not a file provider", () => {
    const text = replaceOnce(renderedFile("monitoring", GRAFANA_DASHBOARD_PROVIDER_PATH), "type: file", "type: http");
    expect(checkGrafana("dashboard-provider", text).ok).toBe(false);
  });
  it("grafana: rejects a dashboard panel without a query", () => {
    const dashboard = JSON.parse(renderedFile("monitoring", GRAFANA_DASHBOARD_PATH));
    dashboard.panels[0].targets = [];
    expect(checkGrafana("dashboard", JSON.stringify(dashboard)).ok).toBe(false);
  });
  it("grafana: rejects a dashboard that is not JSON", () => {
    expect(checkGrafana("dashboard", "{ panels: [").ok).toBe(false);
  });

  const syncService = "/etc/systemd/system/haproxy-backend-sync.service";
  const syncTimer = "/etc/systemd/system/haproxy-backend-sync.timer";
  const syncUnits = () => ({ [syncService]: renderedFile("lb-a", syncService), [syncTimer]: renderedFile("lb-a", syncTimer) });
  it("systemd: accepts the rendered timer with its service", () => {
    expect(checkSystemdUnits(syncUnits())).toEqual({ ok: true, output: "" });
  });
  it("systemd: rejects a timer interval it cannot parse (systemd itself would only warn and ignore it)", () => {
    const result = checkSystemdUnits({ ...syncUnits(), [syncTimer]: replaceOnce(renderedFile("lb-a", syncTimer), /OnUnitActiveSec=(\d+)s/, "OnUnitActiveSec=$1q") });
    expect(result.ok).toBe(false);
    expect(result.output).toContain("Failed to parse");
  });
  it("systemd: rejects a service whose Type does not exist", () => {
    expect(checkSystemdUnits({ ...syncUnits(), [syncService]: replaceOnce(renderedFile("lb-a", syncService), "Type=oneshot", "Type=once") }).ok).toBe(false);
  });
  it("systemd: rejects a service that requires a unit no package installs (a misspelt mariadb.service)", () => {
    const unit = replaceOnce(renderedFile("single-server", REFERENCE_APP_UNIT_PATH), "Requires=mariadb.service", "Requires=mariabd.service");
    const result = checkSystemdUnits({ [REFERENCE_APP_UNIT_PATH]: unit });
    expect(result.ok).toBe(false);
    expect(result.output).toContain("Unit mariabd.service not found");
  });
  it("systemd: rejects a hardening setting of the application unit that does not exist", () => {
    const unit = replaceOnce(renderedFile("app", REFERENCE_APP_UNIT_PATH), "ProtectHome=true", "ProtectHome=always");
    expect(checkSystemdUnits({ [REFERENCE_APP_UNIT_PATH]: unit }).ok).toBe(false);
  });
});
