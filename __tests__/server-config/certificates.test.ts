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
import { writeFakeCommands } from "../support/fake-commands";
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
    expect(() => renderCertPullScript(single)).toThrow(/certificates\.sharing/);
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
  });

  it("puts every name on the placeholder", () => {
    expect(renderPlaceholderCertScript(both)).toContain('subjectAltName=DNS:$DOMAIN,DNS:www.example.com');
  });
});

describe("certificate rejected inputs", () => {
  it.each([
    ["upper-case domain", { domain: "WWW.example.com" }, /certificates\.domain/],
    ["domain without a dot", { domain: "localhost" }, /certificates\.domain/],
    ["bad e-mail", { email: "ops" }, /certificates\.email/],
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
  it("placeholder writes a combined PEM HAProxy accepts, and never overwrites one", () => {
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

  it("pull installs a valid published PEM once, and refuses garbage", () => {
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
});
