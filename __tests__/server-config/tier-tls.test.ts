/**
 * TLS between the tiers: the trust sync run for real (bash, openssl, a fake
 * `aws` printing what `get-parameters … --output text` prints), and one test per
 * rejected input of the renderers. The identity script runs for real in the
 * stage 3 twin (it needs the host's route to name its slot).
 */
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { execFileSync } from "child_process";
import { renderTlsIdentityScript, renderTrustSyncScript, tierServerName, tlsSlotName } from "../../modules/server-config/tier-tls";
import { renderHaproxyBackends } from "../../modules/server-config/haproxy";
import { renderNginxConfig } from "../../modules/server-config/nginx";
import { InvalidInputError } from "../../modules/core/validation";
import { writeFakeCommands } from "../support/fake-commands";
import { invalidInputOf } from "../support/invalid-input";
import { describeWithTools, run, SYSTEM_PATH, withTempDir } from "../support/tools";

const trust = { serverName: "app.webplat-dev-stage3.internal", parameterPrefix: "/webplat-dev-stage3/tls/app", region: "us-east-1" };
const certificates = (file: string) => (readFileSync(file, "utf8").match(/BEGIN CERTIFICATE/g) ?? []).length;

describeWithTools("trust sync (real bash and openssl, fake aws and systemctl)", ["bash", "openssl"], false, () => {
  const selfSigned = (dir: string, name: string): string => {
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", `/CN=${name}`, "-keyout", "/dev/null", "-out", join(dir, `${name}.pem`)], { stdio: "pipe" });
    return readFileSync(join(dir, `${name}.pem`), "utf8");
  };
  function scenario(checkExit: number, fn: (sync: (published: string[]) => number | null, dir: string) => void): void {
    withTempDir("trust-sync", (dir) => {
      const bin = writeFakeCommands(dir);
      writeFileSync(join(bin, "check"), `#!/bin/sh\nexit ${checkExit}\n`, { mode: 0o755 });
      writeFileSync(join(dir, "sync"), renderTrustSyncScript({ ...trust, bundlePath: "/nonexistent/bundle.pem", checkCommand: ["check"], reloadCommand: ["systemctl", "try-reload-or-restart", "nginx"], serverIps: ["10.13.64.120", "10.13.80.120"] }));
      const sync = (published: string[]) => {
        // What `aws ssm get-parameters --query 'Parameters[].Value' --output text` prints: the values, tab-separated.
        writeFileSync(join(dir, "aws-stdout"), `${published.map((p) => p.trimEnd()).join("\t")}\n`);
        return run("bash", [join(dir, "sync")], { env: { PATH: `${bin}:${SYSTEM_PATH}`, TRUST_BUNDLE: join(dir, "bundle.pem") } }).code;
      };
      fn(sync, dir);
    });
  }

  it("pins every published certificate (plus the local anchor), skips placeholders, asks for the rendered slots, reloads only on change", () => {
    scenario(0, (sync, dir) => {
      const [a, b] = [selfSigned(dir, "a"), selfSigned(dir, "b")];
      expect(sync([a, "pending: the server publishes its certificate here at first boot", b])).toBe(0);
      expect(certificates(join(dir, "bundle.pem"))).toBe(3);
      const bundle = readFileSync(join(dir, "bundle.pem"), "utf8");
      expect(bundle).toContain(a.trim());
      expect(bundle).toContain(b.trim());
      expect(readFileSync(join(dir, "aws.log"), "utf8")).toContain(`ssm get-parameters --region us-east-1 --names ${tlsSlotName(trust.parameterPrefix, "10.13.64.120")} ${tlsSlotName(trust.parameterPrefix, "10.13.80.120")} --query Parameters[].Value --output text`);
      expect(sync([a, b])).toBe(0);
      expect(readFileSync(join(dir, "systemctl.log"), "utf8").trim().split("\n")).toEqual(["try-reload-or-restart nginx"]);
      // A server that is gone (its slot no longer lists a certificate) loses the callers' trust.
      expect(sync([a])).toBe(0);
      expect(certificates(join(dir, "bundle.pem"))).toBe(2);
    });
  });

  it("keeps the previous bundle when the daemon's check fails with the new one", () => {
    scenario(1, (sync, dir) => {
      writeFileSync(join(dir, "bundle.pem"), "previous\n");
      expect(sync([selfSigned(dir, "a")])).toBe(1);
      expect(readFileSync(join(dir, "bundle.pem"), "utf8")).toBe("previous\n");
    });
  });
});

describe("TLS between the tiers: rendered configuration", () => {
  it("HAProxy verifies every web server against the pinned bundle and the tier name", () => {
    const backends = renderHaproxyBackends({ backends: ["10.0.0.1:443"], tls: { caFile: "/etc/haproxy/certs/backend-trust.pem", verifyHost: "web.x.internal" } });
    expect(backends).toMatch(/default-server check .* ssl verify required ca-file \/etc\/haproxy\/certs\/backend-trust\.pem verifyhost web\.x\.internal/);
    expect(backends).not.toMatch(/verify none/);
  });
  it("\"with `upstreamTls`, `proxy_pass https://` with `proxy_ssl_verify on` against a pinned bundle and the app tier's name\"; \"an access log that records `$ssl_protocol $ssl_cipher`\"", () => {
    const conf = renderNginxConfig({ upstreams: ["10.0.0.1:8443"], tls: { certPath: "/c.pem", keyPath: "/k.pem" }, upstreamTls: { trustedCertificate: "/t.pem", serverName: "app.x.internal" } });
    expect(conf).toMatch(/proxy_pass https:\/\/app_servers;[\s\S]*proxy_ssl_verify on;\n\s+proxy_ssl_trusted_certificate \/t\.pem;\n\s+proxy_ssl_name app\.x\.internal;/);
    expect(conf).toMatch(/log_format tls .* \$ssl_protocol \$ssl_cipher';/);
  });
  it("\"a self-signed `CA:FALSE` certificate for the tier name\": the identity's certificate can vouch for nothing but its name", () => {
    const script = renderTlsIdentityScript({ ...trust, reloadCommand: ["systemctl", "reload", "nginx"] });
    expect(script).toContain('-addext "basicConstraints=critical,CA:FALSE"');
    expect(script).toContain('--value "file://$work/wanted.pem"');
    expect(script).not.toMatch(/put-parameter[^\n]*key\.pem/);
  });

  it.each([
    ["a tier name that is no DNS label", () => tierServerName("Web_Tier", "x"), /tierTls\.serverName/],
    ["a slot for a host name", () => tlsSlotName("/x/tls/web", "web1"), /tierTls\.serverIp/],
    ["a relative slot prefix", () => renderTrustSyncScript({ ...trust, parameterPrefix: "x/tls", bundlePath: "/b", checkCommand: ["true"], reloadCommand: ["true"] }), /tlsTrust\.parameterPrefix/],
    ["a relative bundle path", () => renderTrustSyncScript({ ...trust, bundlePath: "b.pem", checkCommand: ["true"], reloadCommand: ["true"] }), /tlsTrust\.bundlePath/],
    ["no reload command", () => renderTrustSyncScript({ ...trust, bundlePath: "/b", checkCommand: ["true"], reloadCommand: [] }), /tlsTrust\.reloadCommand/],
    ["renewal longer than the lifetime", () => renderTlsIdentityScript({ ...trust, reloadCommand: ["true"], validityDays: 30, renewDays: 30 }), /tlsIdentity\.renewDays/],
    ["an identity name in upper case", () => renderTlsIdentityScript({ ...trust, serverName: "App.X.internal", reloadCommand: ["true"] }), /tlsIdentity\.serverName/],
    ["a bad verifyhost", () => renderHaproxyBackends({ backends: ["10.0.0.1:443"], tls: { caFile: "/b", verifyHost: "not a name" } }), /haproxy\.backendTls\.verifyHost/],
  ])("rejects %s", (_what, render, field) => {
    expect(render).toThrow(InvalidInputError);
    expect(render).toThrow(field);
  });

  const sync = { ...trust, bundlePath: "/b", checkCommand: ["true"], reloadCommand: ["true"] };
  it.each([
    ["a slot for a host name", () => tlsSlotName("/x/tls/web", "web1"), "tierTls.serverIp", /dotted IPv4 address/],
    ["a relative slot prefix", () => tlsSlotName("x/tls/web", "10.0.0.1"), "tierTls.parameterPrefix", /\S/],
    ["no check command", () => renderTrustSyncScript({ ...sync, checkCommand: [] }), "tlsTrust.checkCommand", /a command/],
    ["no reload command for the trust sync", () => renderTrustSyncScript({ ...sync, reloadCommand: [] }), "tlsTrust.reloadCommand", /a command/],
    ["a trust name that is no DNS name", () => renderTrustSyncScript({ ...sync, serverName: "app x" }), "tlsTrust.serverName", /\S/],
    ["a trust region that is none", () => renderTrustSyncScript({ ...sync, region: "Europe" }), "tlsTrust.region", /AWS region/],
    ["no reload command for the identity", () => renderTlsIdentityScript({ ...trust, reloadCommand: [] }), "tlsIdentity.reloadCommand", /a command/],
    ["a relative identity prefix", () => renderTlsIdentityScript({ ...trust, parameterPrefix: "x/tls", reloadCommand: ["true"] }), "tlsIdentity.parameterPrefix", /\S/],
    ["an identity region that is none", () => renderTlsIdentityScript({ ...trust, region: "Europe", reloadCommand: ["true"] }), "tlsIdentity.region", /AWS region/],
    ["a lifetime of one day", () => renderTlsIdentityScript({ ...trust, reloadCommand: ["true"], validityDays: 1 }), "tlsIdentity.validityDays", /from 2 to 825/],
    ["an overlap over an hour", () => renderTlsIdentityScript({ ...trust, reloadCommand: ["true"], overlapSeconds: 3601 }), "tlsIdentity.overlapSeconds", /from 0 to 3600/],
  ])("rejects %s, naming the field and what is allowed", (_what, render, field, allowed) => {
    const error = invalidInputOf(render);
    expect(error.field).toBe(field);
    expect(error.allowed).toMatch(allowed);
  });

  it("both scripts log to syslog under their own tag", () => {
    expect(renderTlsIdentityScript({ ...trust, reloadCommand: ["true"] })).toContain('logger -t tls-identity -- "$*"');
    expect(renderTrustSyncScript(sync)).toContain('logger -t tls-trust-sync -- "$*"');
  });

  it("\"<tier>.<prefix>.internal\": the prefix in lower case", () => {
    expect(tierServerName("app", "WebPlat")).toBe("app.webplat.internal");
  });

  it("commands are pasted as words: plain words as they are, anything else in single quotes (a quote inside escaped)", () => {
    const script = renderTrustSyncScript({ ...sync, checkCommand: ["/usr/sbin/haproxy", "-c", "-f", "/etc/haproxy/haproxy.cfg", "$HOME/x", "a b"], reloadCommand: ["sh", "-c", "echo it's $(done)"] });
    expect(script).toContain("if ! /usr/sbin/haproxy -c -f /etc/haproxy/haproxy.cfg '$HOME/x' 'a b'; then");
    expect(script).toContain("sh -c 'echo it'\\''s $(done)'");
    // Bash reads the quoted word back as it was given.
    expect(execFileSync("bash", ["-c", `printf '%s\\n' ${"'echo it'\\''s $(done)'"}`], { encoding: "utf8" })).toBe("echo it's $(done)\n");
    const slots = renderTrustSyncScript({ ...sync, serverIps: ["10.0.0.2", "10.0.0.1"] });
    expect(slots).toContain(`${trust.parameterPrefix}/10.0.0.2`);
    expect(slots).toContain(`${trust.parameterPrefix}/10.0.0.1`);
  });
});
