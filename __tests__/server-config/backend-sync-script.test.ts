/**
 * The backend sync script, run for real with a fake `aws` (returning the SSM
 * value) and a fake `systemctl`: it must write byte-for-byte what the
 * synth-time renderer writes, reload only on change, and refuse bad lists.
 */
import { existsSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { renderBackendSyncScript } from "../../modules/server-config/backend-sync-script";
import { renderBackendListParameterValue, renderHaproxyBackends, renderHaproxyConfig } from "../../modules/server-config/haproxy";
import { InvalidInputError } from "../../modules/core/validation";
import { writeFakeCommands } from "../support/fake-commands";
import { describeWithTools, run, SYSTEM_PATH, withTempDir } from "../support/tools";
import { relocateHaproxyPaths, writeSelfSignedPem } from "../support/validators";

const params = { parameterName: "/webplatform/haproxy/backends", region: "eu-west-1" };

describeWithTools("backend sync script (real bash, real haproxy -c, fake aws)", ["bash", "haproxy", "openssl"], false, () => {
  function scenario(fn: (sync: (ssmValue: string) => { code: number | null; stderr: string }, dir: string) => void): void {
    withTempDir("backend-sync", (dir) => {
      const bin = writeFakeCommands(dir);
      writeSelfSignedPem(join(dir, "site.pem"));
      writeFileSync(join(dir, "haproxy.cfg"), relocateHaproxyPaths(renderHaproxyConfig({ privateIp: "10.0.1.10", exporterAllowedCidrs: ["10.0.0.0/16"] }), dir));
      writeFileSync(join(dir, "sync"), renderBackendSyncScript(params), { mode: 0o755 });
      const sync = (ssmValue: string) => {
        writeFileSync(join(dir, "aws-stdout"), `${ssmValue}\n`);
        const r = run("bash", [join(dir, "sync")], { env: { PATH: `${bin}:${SYSTEM_PATH}`, BACKENDS_FILE: join(dir, "backends.cfg"), HAPROXY_CFG: join(dir, "haproxy.cfg") } });
        return { code: r.code, stderr: r.stderr };
      };
      fn(sync, dir);
    });
  }
  const reloads = (dir: string) => (existsSync(join(dir, "systemctl.log")) ? readFileSync(join(dir, "systemctl.log"), "utf8").trim().split("\n") : []);

  it("\"the script, run with a fake `aws`, writes byte-for-byte what the TypeScript renderer writes\" and reloads once (`systemctl reload-or-restart haproxy`)", () => {
    scenario((sync, dir) => {
      const fleet = ["10.1.12.10:80", "10.0.11.10:80", "10.0.12.10:80"];
      expect(sync(renderBackendListParameterValue(fleet)).code).toBe(0);
      expect(readFileSync(join(dir, "backends.cfg"), "utf8")).toBe(renderHaproxyBackends({ backends: fleet }));
      expect(reloads(dir)).toEqual(["reload-or-restart haproxy"]);
      expect(readFileSync(join(dir, "aws.log"), "utf8")).toContain("ssm get-parameter --region eu-west-1 --name /webplatform/haproxy/backends");
    });
  });
  it("does not reload when nothing changed, and reloads when the fleet grows", () => {
    scenario((sync, dir) => {
      expect(sync("10.0.11.10:80,10.0.12.10:80").code).toBe(0);
      expect(sync("10.0.12.10:80, 10.0.11.10:80").code).toBe(0);
      expect(reloads(dir)).toHaveLength(1);
      expect(sync("10.0.11.10:80,10.0.12.10:80,10.0.13.10:80").code).toBe(0);
      expect(reloads(dir)).toHaveLength(2);
      expect(readFileSync(join(dir, "backends.cfg"), "utf8")).toBe(renderHaproxyBackends({ backends: ["10.0.11.10:80", "10.0.12.10:80", "10.0.13.10:80"] }));
    });
  });
  it.each([
    ["an empty list", ""],
    ["a host name", "web1.internal:80"],
    ["an entry without port", "10.0.11.10"],
    ["a port HAProxy rejects", "10.0.11.10:99999"],
    ["one good and one malformed entry", "10.0.12.10:80,10.0.13.10"],
    ["a shell command smuggled into an entry", "10.0.12.10:80;reboot"],
    ["the aws CLI's text for a missing value", "None"],
    ["an IPv6 entry", "[fd00::1]:80"],
  ])("keeps the current file on %s", (_name, value) => {
    scenario((sync, dir) => {
      expect(sync("10.0.11.10:80").code).toBe(0);
      const before = readFileSync(join(dir, "backends.cfg"), "utf8");
      expect(sync(value).code).not.toBe(0);
      expect(readFileSync(join(dir, "backends.cfg"), "utf8")).toBe(before);
      expect(reloads(dir)).toHaveLength(1);
    });
  });
  it("keeps the current file when SSM cannot be read", () => {
    scenario((sync, dir) => {
      expect(sync("10.0.11.10:80").code).toBe(0);
      const before = readFileSync(join(dir, "backends.cfg"), "utf8");
      writeFileSync(join(dir, "aws-exit"), "255");
      const r = sync("10.0.99.10:80");
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("cannot read /webplatform/haproxy/backends; keeping the current backends");
      expect(readFileSync(join(dir, "backends.cfg"), "utf8")).toBe(before);
      expect(reloads(dir)).toHaveLength(1);
    });
  });
  it("a malformed parameter keeps the last good config, names the bad entry, and the next good value applies", () => {
    scenario((sync, dir) => {
      expect(sync("10.0.11.10:80,10.0.12.10:80").code).toBe(0);
      const good = readFileSync(join(dir, "backends.cfg"), "utf8");
      const r = sync("10.0.11.10:80,web-3:80");
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("invalid entry 'web-3:80' in /webplatform/haproxy/backends; keeping the current backends");
      expect(readFileSync(join(dir, "backends.cfg"), "utf8")).toBe(good);
      expect(reloads(dir)).toHaveLength(1);
      expect(sync("10.0.11.10:80,10.0.13.10:80").code).toBe(0);
      expect(readFileSync(join(dir, "backends.cfg"), "utf8")).toBe(renderHaproxyBackends({ backends: ["10.0.11.10:80", "10.0.13.10:80"] }));
      expect(reloads(dir)).toHaveLength(2);
    });
  });
  it("checks it with `haproxy -c` and reloads only on change: a list HAProxy rejects never reaches the file", () => {
    scenario((sync, dir) => {
      expect(sync("10.0.11.10:80").code).toBe(0);
      const r = sync("10.0.11.10:0");
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("HAProxy rejects the new backends; keeping the current ones");
      expect(readFileSync(join(dir, "backends.cfg"), "utf8")).toBe(renderHaproxyBackends({ backends: ["10.0.11.10:80"] }));
      expect(reloads(dir)).toHaveLength(1);
    });
  });
});

describe("backend sync with TLS to the web servers", () => {
  it("pins the certificates of the listed servers (one slot per address, port dropped) before it re-renders; a failed refresh keeps the current bundle", () => {
    const script = renderBackendSyncScript({ ...params, tls: { caFile: "/etc/haproxy/certs/backend-trust.pem", verifyHost: "web.x.internal", trustParameterPrefix: "/x/tls/web" } });
    expect(script).toContain('slots+=("/x/tls/web/${backend%:*}")');
    expect(script).toContain('"/usr/local/sbin/tls-trust-sync" "${slots[@]}" || log "trust bundle not refreshed; keeping the current one"');
    expect(script).toContain("ssl verify required ca-file /etc/haproxy/certs/backend-trust.pem verifyhost web.x.internal");
    expect(renderBackendSyncScript(params)).not.toContain("tls-trust-sync");
  });
});

describe("backend sync rejected inputs", () => {
  it.each([
    ["parameter name without leading slash", { ...params, parameterName: "webplatform/backends" }, /backendSync\.parameterName/],
    ["parameter name with a quote", { ...params, parameterName: '/a"b' }, /backendSync\.parameterName/],
    ["bad region", { ...params, region: "Europe" }, /backendSync\.region/],
    ["relative backends path", { ...params, backendsPath: "backends.cfg" }, /backendSync\.backendsPath/],
    ["relative HAProxy config path", { ...params, haproxyConfigPath: "haproxy.cfg" }, /backendSync\.haproxyConfigPath: "haproxy\.cfg" is not allowed; expected an absolute path/],
    [
      "a trust parameter prefix without leading slash",
      { ...params, tls: { caFile: "/etc/haproxy/backend-trust.pem", verifyHost: "web.internal", trustParameterPrefix: "webplat/tls" } },
      /backendSync\.tls\.trustParameterPrefix: "webplat\/tls" is not allowed/,
    ],
  ])("rejects %s", (_name, p, message) => {
    expect(() => renderBackendSyncScript(p)).toThrow(InvalidInputError);
    expect(() => renderBackendSyncScript(p)).toThrow(message);
  });
});
