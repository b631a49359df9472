/**
 * Let's Encrypt scripts: facts, rejected inputs, and real runs of the
 * placeholder and pull scripts (openssl for real, fake aws/systemctl).
 */
import { readFileSync, writeFileSync, existsSync } from "fs";
import { join } from "path";
import {
  CertificateParams,
  renderCertDeployHook,
  renderCertPullScript,
  renderCertRenewScript,
  renderPlaceholderCertScript,
} from "../../modules/server-config/certificates";
import { InvalidInputError } from "../../modules/core/validation";
import { recordedCalls, writeFakeCommands } from "../support/fake-commands";
import { describeWithTools, run, SYSTEM_PATH, withTempDir } from "../support/tools";
import { checkHaproxy } from "../support/validators";
import { renderHaproxyBackends, renderHaproxyConfig } from "../../modules/server-config/haproxy";

const params: CertificateParams = {
  domain: "www.example.com",
  email: "ops@example.com",
  sharing: { parameterName: "/webplatform/haproxy/certificate", region: "eu-west-1", masterMarkerAddress: "192.0.2.51" },
};
const single: CertificateParams = { domain: "www.example.com", email: "ops@example.com" };

describe("certificate script facts", () => {
  it("obtains and renews with certbot standalone on the local ACME port, only on the MASTER", () => {
    const renew = renderCertRenewScript(params);
    expect(renew).toContain('--standalone --http-01-address 127.0.0.1 --http-01-port "$ACME_PORT"');
    expect(renew).toContain("ACME_PORT=8888");
    expect(renew).toContain("--keep-until-expiring");
    expect(renew).toContain('--deploy-hook "/usr/local/sbin/haproxy-cert-deploy"');
    expect(renew).toMatch(/grep -qF " \$MARKER_ADDRESS\/32 "[\s\S]*exec "\/usr\/local\/sbin\/haproxy-cert-pull"/);
    expect(renew).not.toContain("--staging");
    expect(renderCertRenewScript({ ...params, staging: true })).toContain("--staging");
  });
  it("deploy hook builds the combined PEM, reloads HAProxy and publishes a SecureString", () => {
    const hook = renderCertDeployHook(params);
    expect(hook).toContain('cat "$RENEWED_LINEAGE/fullchain.pem" "$RENEWED_LINEAGE/privkey.pem"');
    expect(hook).toContain("systemctl reload haproxy");
    expect(hook).toMatch(/aws ssm put-parameter --region "\$REGION" --name "\$PARAMETER_NAME" --type SecureString/);
  });
  it("a single load balancer renews for itself: no MASTER check, no SSM publish, no pull script", () => {
    const renew = renderCertRenewScript(single);
    expect(renew).toContain("certbot certonly");
    expect(renew).not.toContain("MARKER_ADDRESS");
    expect(renew).not.toContain("haproxy-cert-pull");
    const hook = renderCertDeployHook(single);
    expect(hook).toContain("systemctl reload haproxy");
    expect(hook).not.toContain("aws ssm");
    expect(() => renderCertPullScript(single)).toThrow(/certificates\.sharing: .* is not allowed; expected certificate sharing settings/);
  });
  it("each script logs to syslog under its own tag (journalctl -t <tag>)", () => {
    for (const [script, tag] of [
      [renderCertRenewScript(params), "haproxy-cert-renew"],
      [renderCertDeployHook(params), "haproxy-cert-deploy"],
      [renderCertPullScript(params), "haproxy-cert-pull"],
    ]) {
      expect(script).toContain(`logger -t ${tag} -- "$*"`);
      expect(script).toContain(`printf '${tag}: %s\\n' "$*" >&2`);
    }
  });
  it("pull script decrypts the parameter and checks certificate and key before installing", () => {
    const pull = renderCertPullScript(params);
    expect(pull).toContain("--with-decryption");
    expect(pull).toContain("-checkend 86400");
    expect(pull).toContain("openssl pkey");
  });
});

describe("certificate for every published name", () => {
  const both: CertificateParams = { ...params, domain: "example.com", additionalNames: ["www.example.com"] };

  it("asks certbot for every name, expanding an existing certificate that lacks one", () => {
    const renew = renderCertRenewScript(both);
    expect(renew).toContain('-d "$DOMAIN" -d www.example.com');
    expect(renew).toContain("--expand");
    expect(renew).toContain('DOMAIN="example.com"');
    expect(renew).toContain('log "asking Let\'s Encrypt for $DOMAIN www.example.com (no-op unless due)"');
    expect(renderCertRenewScript({ ...both, additionalNames: ["www.example.com", "shop.example.com"] })).toMatch(/ -d "\$DOMAIN" -d www\.example\.com -d shop\.example\.com\n$/);
    expect(renderCertRenewScript(single)).toMatch(/--keep-until-expiring --expand \\\n  --deploy-hook "[^"]+" -d "\$DOMAIN"\n$/);
  });

  it("puts every name on the placeholder", () => {
    expect(renderPlaceholderCertScript(both)).toContain('subjectAltName=DNS:$DOMAIN,DNS:www.example.com');
  });
});

describe("certificate rejected inputs", () => {
  it.each([
    ["upper-case domain", { domain: "WWW.example.com" }, /certificates\.domain/],
    ["domain without a dot", { domain: "localhost" }, /certificates\.domain/],
    ["bad e-mail", { email: "ops" }, /certificates\.email: "ops" is not allowed; expected an e-mail address such as ops@example\.com/],
    // The address is pasted into a bash script: nothing before or after it may pass.
    ["e-mail after a command substitution", { email: "$(reboot)ops@example.com" }, /certificates\.email/],
    ["e-mail followed by more text", { email: "ops@example.com\"; reboot; \"" }, /certificates\.email/],
    ["parameter without slash", { sharing: { ...params.sharing!, parameterName: "cert" } }, /certificates\.sharing\.parameterName/],
    ["bad region", { sharing: { ...params.sharing!, region: "west" } }, /certificates\.sharing\.region/],
    ["marker not an IP", { sharing: { ...params.sharing!, masterMarkerAddress: "lo" } }, /certificates\.sharing\.masterMarkerAddress/],
    ["acme port 0", { acmePort: 0 }, /certificates\.acmePort/],
    ["relative cert path", { certPath: "site.pem" }, /certificates\.certPath/],
    ["a bad additional name", { additionalNames: ["www example.com"] }, /certificates\.additionalNames\[0\]/],
    ["the domain again as additional name", { additionalNames: ["www.example.com"] }, /certificates\.additionalNames/],
  ])("rejects %s", (_name, change, message) => {
    expect(() => renderPlaceholderCertScript({ ...params, ...change })).toThrow(InvalidInputError);
    expect(() => renderCertRenewScript({ ...params, ...change })).toThrow(message);
  });
});

describeWithTools("certificate scripts run", ["bash", "openssl", "haproxy"], false, () => {
  it("\"`haproxy-cert-placeholder` writes a self-signed combined PEM (never overwrites one) so HAProxy can start\"", () => {
    withTempDir("cert", (dir) => {
      const cert = join(dir, "certs", "site.pem");
      writeFileSync(join(dir, "placeholder"), renderPlaceholderCertScript(params));
      const env = { PATH: SYSTEM_PATH, CERT_FILE: cert };
      expect(run("bash", [join(dir, "placeholder")], { env }).code).toBe(0);
      const first = readFileSync(cert, "utf8");
      expect(first).toMatch(/BEGIN CERTIFICATE[\s\S]*BEGIN PRIVATE KEY/);
      expect(run("openssl", ["x509", "-in", cert, "-noout", "-ext", "subjectAltName"]).stdout).toContain("DNS:www.example.com");
      expect(run("bash", [join(dir, "placeholder")], { env }).code).toBe(0);
      expect(readFileSync(cert, "utf8")).toBe(first);
      const cfg = renderHaproxyConfig({ privateIp: "10.0.1.10", exporterAllowedCidrs: ["10.0.0.0/16"], certPath: cert });
      writeFileSync(join(dir, "cfg"), cfg.replace(/chroot \S+/, `chroot ${dir}`).replace(/stats socket \S+/, `stats socket ${dir}/s.sock`));
      writeFileSync(join(dir, "backends"), renderHaproxyBackends({ backends: ["10.0.0.1:80"] }));
      expect(run("haproxy", ["-c", "-dW", "-f", join(dir, "cfg"), "-f", join(dir, "backends")]).code).toBe(0);
      expect(checkHaproxy(cfg, renderHaproxyBackends({ backends: ["10.0.0.1:80"] })).ok).toBe(true);
    });
  });

  it("\"`haproxy-cert-pull`: `get-parameter --with-decryption`; ... reload only when the content changed\": installs a valid published PEM once, and refuses garbage", () => {
    withTempDir("cert", (dir) => {
      const bin = writeFakeCommands(dir);
      const published = join(dir, "published.pem");
      writeFileSync(join(dir, "placeholder"), renderPlaceholderCertScript(params));
      run("bash", [join(dir, "placeholder")], { env: { PATH: SYSTEM_PATH, CERT_FILE: published } });
      writeFileSync(join(dir, "aws-stdout"), readFileSync(published));
      writeFileSync(join(dir, "pull"), renderCertPullScript(params));
      const cert = join(dir, "site.pem");
      const env = { PATH: `${bin}:${SYSTEM_PATH}`, CERT_FILE: cert };
      expect(run("bash", [join(dir, "pull")], { env }).code).toBe(0);
      expect(readFileSync(cert, "utf8")).toBe(readFileSync(published, "utf8"));
      expect(run("bash", [join(dir, "pull")], { env }).code).toBe(0);
      expect(readFileSync(join(dir, "systemctl.log"), "utf8").trim().split("\n")).toEqual(["reload haproxy"]);
      expect(readFileSync(join(dir, "aws.log"), "utf8")).toContain("ssm get-parameter --region eu-west-1 --name /webplatform/haproxy/certificate --with-decryption");

      writeFileSync(join(dir, "aws-stdout"), "not a certificate\n");
      expect(run("bash", [join(dir, "pull")], { env }).code).toBe(1);
      expect(readFileSync(cert, "utf8")).toBe(readFileSync(published, "utf8"));
      expect(existsSync(cert)).toBe(true);
    });
  });

  /** A published certificate in a fake SSM, the pull script, and its environment. */
  function pullSetup(dir: string): { env: NodeJS.ProcessEnv; cert: string; published: string; pull: string } {
    const bin = writeFakeCommands(dir);
    const published = join(dir, "published.pem");
    writeFileSync(join(dir, "placeholder"), renderPlaceholderCertScript(params));
    run("bash", [join(dir, "placeholder")], { env: { PATH: SYSTEM_PATH, CERT_FILE: published } });
    writeFileSync(join(dir, "aws-stdout"), readFileSync(published));
    const pull = join(dir, "pull");
    writeFileSync(pull, renderCertPullScript(params));
    return { env: { PATH: `${bin}:${SYSTEM_PATH}`, CERT_FILE: join(dir, "site.pem") }, cert: join(dir, "site.pem"), published, pull };
  }

  /** certbot's live directory for the published PEM: fullchain.pem and privkey.pem, as the deploy hook reads them. */
  function certbotLineage(dir: string): { lineage: string; pem: string } {
    const { published } = pullSetup(dir);
    const lineage = join(dir, "live");
    run("mkdir", ["-p", lineage]);
    const pem = readFileSync(published, "utf8");
    writeFileSync(join(lineage, "fullchain.pem"), pem.replace(/-----BEGIN PRIVATE KEY-----[\s\S]*$/, ""));
    writeFileSync(join(lineage, "privkey.pem"), pem.replace(/^[\s\S]*(?=-----BEGIN PRIVATE KEY-----)/, ""));
    return { lineage, pem };
  }

  it("certificate sync with SSM unreachable keeps the served certificate, does not reload HAProxy, and says so", () => {
    withTempDir("cert", (dir) => {
      const { env, cert, pull } = pullSetup(dir);
      writeFileSync(cert, "the certificate HAProxy serves now\n");
      writeFileSync(join(dir, "aws-failures"), "1");
      const r = run("bash", [pull], { env });
      // Exit 0: the timer retries; a failed unit would page for a transient SSM outage.
      expect(r.code).toBe(0);
      expect(r.stderr).toContain("no certificate in /webplatform/haproxy/certificate yet; keeping the current one");
      expect(readFileSync(cert, "utf8")).toBe("the certificate HAProxy serves now\n");
      expect(recordedCalls(dir, "systemctl")).toEqual([]);
      // SSM back: the next run installs the published certificate.
      expect(run("bash", [pull], { env }).code).toBe(0);
      expect(readFileSync(cert, "utf8")).toBe(readFileSync(join(dir, "published.pem"), "utf8"));
      expect(recordedCalls(dir, "systemctl")).toEqual(["reload haproxy"]);
    });
  });

  it("pull: \"install only if the certificate is valid for at least a day\" (keeps the current one)", () => {
    withTempDir("cert", (dir) => {
      const { env, cert, pull } = pullSetup(dir);
      const key = join(dir, "k.pem");
      const crt = join(dir, "c.pem");
      // Valid for one day from the moment it was made: by the time the pull checks, less than 86400 s are left.
      expect(run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=www.example.com", "-keyout", key, "-out", crt, "-days", "1"]).code).toBe(0);
      writeFileSync(join(dir, "aws-stdout"), readFileSync(crt, "utf8") + readFileSync(key, "utf8"));
      writeFileSync(cert, "current\n");
      expect(run("bash", [pull], { env }).code).toBe(1);
      expect(readFileSync(cert, "utf8")).toBe("current\n");
      expect(recordedCalls(dir, "systemctl")).toEqual([]);
    });
  });

  it("pull: install only if \"the key matches it\" (keeps the current one)", () => {
    withTempDir("cert", (dir) => {
      const { env, cert, pull, published } = pullSetup(dir);
      const otherKey = join(dir, "other.pem");
      expect(run("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", otherKey]).code).toBe(0);
      const certOnly = readFileSync(published, "utf8").replace(/-----BEGIN PRIVATE KEY-----[\s\S]*$/, "");
      writeFileSync(join(dir, "aws-stdout"), certOnly + readFileSync(otherKey, "utf8"));
      writeFileSync(cert, "current\n");
      expect(run("bash", [pull], { env }).code).toBe(1);
      expect(readFileSync(cert, "utf8")).toBe("current\n");
    });
  });

  it("a single load balancer (no sharing): the deploy hook installs and reloads without SSM, and the renew script asks certbot for the site", () => {
    withTempDir("cert", (dir) => {
      const { lineage, pem } = certbotLineage(dir);
      writeFileSync(join(dir, "hook"), renderCertDeployHook(single));
      const cert = join(dir, "certs", "site.pem");
      const env = { PATH: `${join(dir, "bin")}:${SYSTEM_PATH}`, CERT_FILE: cert, RENEWED_LINEAGE: lineage };
      expect(run("bash", [join(dir, "hook")], { env }).code).toBe(0);
      expect(readFileSync(cert, "utf8")).toBe(pem);
      expect(recordedCalls(dir, "systemctl")).toEqual(["reload haproxy"]);
      expect(recordedCalls(dir, "aws")).toEqual([]);

      writeFileSync(join(dir, "bin", "certbot"), `#!/bin/bash\nprintf '%s\\n' "$*" >>"${dir}/certbot.log"\n`, { mode: 0o755 });
      writeFileSync(join(dir, "renew"), renderCertRenewScript(single));
      expect(run("bash", [join(dir, "renew")], { env }).code).toBe(0);
      expect(readFileSync(join(dir, "certbot.log"), "utf8")).toMatch(/^certonly --non-interactive --agree-tos --email ops@example\.com .* -d www\.example\.com\n$/);
    });
  });

  it("deploy hook with SSM unreachable still serves the new certificate locally and fails loudly (certbot logs the hook's exit)", () => {
    withTempDir("cert", (dir) => {
      const { lineage, pem } = certbotLineage(dir);
      writeFileSync(join(dir, "hook"), renderCertDeployHook(params));
      writeFileSync(join(dir, "aws-failures"), "1");
      const cert = join(dir, "certs", "site.pem");
      const r = run("bash", [join(dir, "hook")], { env: { PATH: `${join(dir, "bin")}:${SYSTEM_PATH}`, CERT_FILE: cert, RENEWED_LINEAGE: lineage } });
      expect(r.code).not.toBe(0);
      expect(readFileSync(cert, "utf8")).toBe(pem);
      expect(recordedCalls(dir, "systemctl")).toEqual(["reload haproxy"]);
      expect(recordedCalls(dir, "aws")).toEqual([expect.stringMatching(/^ssm put-parameter --region eu-west-1 --name \/webplatform\/haproxy\/certificate --type SecureString --overwrite --value file:\/\//)]);
    });
  });
});
