/**
 * The TLS identity script of stage 3's called tiers (renderTlsIdentityScript), run by bash in a network namespace
 * the test creates: the host's address comes from the real `ip route`, SSM is moto's server inside that namespace,
 * called by the real AWS CLI, and `systemctl`/`sleep` are recorders. The README promises a key made on the host that
 * never leaves it, a self-signed CA:FALSE certificate for the tier name published into the slot named after the
 * host's IP, and a rotation that publishes the next certificate beside the current one before switching.
 */
import { execFileSync } from "child_process";
import { X509Certificate, createPrivateKey } from "crypto";
import { readFileSync, rmSync, statSync, writeFileSync } from "fs";
import { join } from "path";
import { renderTlsIdentityScript } from "../../modules/server-config/tier-tls";
import { Drill, makeDrillDir, must, waitFor } from "../support/drill-kit";
import { recordedCalls, writeFakeCommands } from "../support/fake-commands";
import { describeWithTools, run, SYSTEM_PATH } from "../support/tools";

const PYTHON = process.env.REHEARSAL_PYTHON ?? execFileSync("sh", ["-c", "command -v python3"], { encoding: "utf8" }).trim();
const NAME = "web.webplat-dev-stage3.internal";
const PREFIX = "/webplat-dev-stage3/tls/web";
const HOST_IP = "10.13.64.120";
const SLOT = `${PREFIX}/${HOST_IP}`;
const DAY = 86400_000;

describeWithTools("TLS identity script, live (real ip, openssl and AWS CLI; moto's SSM in the host's namespace)", ["ip", "bash", "openssl", "curl", "aws"], true, () => {
  let AWS = "";
  const drill = new Drill("tls-id", makeDrillDir("tls-id"));
  const dir = drill.dir;
  const tlsDir = join(dir, "tls");
  const script = join(dir, "tls-identity");
  let ns = "";
  let bin = "";
  const awsEnv = { AWS_ENDPOINT_URL: "http://127.0.0.1:5000", AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_EC2_METADATA_DISABLED: "true", HOME: dir };

  /** One SSM call to moto inside the host's namespace (its JSON API; moto routes by the credential scope and checks no signature): the test's own view. */
  const ssm = (action: string, body: object): { code: number; answer: Record<string, unknown> } => {
    const result = run("ip", ["netns", "exec", ns, "curl", "-s", "-w", "\\n%{http_code}", "-H", `X-Amz-Target: AmazonSSM.${action}`, "-H", "Content-Type: application/x-amz-json-1.1",
      "-H", "Authorization: AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ssm/aws4_request, SignedHeaders=host, Signature=0",
      "--data-binary", JSON.stringify(body), "http://127.0.0.1:5000/"]);
    const lines = result.stdout.trim().split("\n");
    return { code: Number(lines.pop()), answer: JSON.parse(lines.join("\n") || "{}") };
  };
  const slot = (): { value: string; version: number } | undefined => {
    const got = ssm("GetParameter", { Name: SLOT });
    if (got.code !== 200) return undefined;
    const parameter = got.answer.Parameter as { Type: string; Value: string; Version: number };
    expect(parameter.Type).toBe("String");
    return { value: parameter.Value, version: parameter.Version };
  };
  const certsIn = (pem: string) => pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
  const identity = (...args: string[]) =>
    run("ip", ["netns", "exec", ns, "bash", script, ...args], { env: { ...process.env, ...awsEnv, PATH: `${bin}:${SYSTEM_PATH}:${process.env.PATH}`, TLS_DIR: tlsDir, OVERLAP_SECONDS: "7" } });

  beforeAll(async () => {
    AWS = execFileSync("sh", ["-c", "command -v aws"], { encoding: "utf8" }).trim();
    ns = drill.namespace("host");
    // The host's private interface and default route, as on EC2.
    // A veth pair with both ends in the namespace (this kernel has no `dummy` links).
    must(run("ip", ["-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0peer"]), "veth eth0");
    must(run("ip", ["-n", ns, "link", "set", "eth0peer", "up"]), "eth0peer up");
    must(run("ip", ["-n", ns, "addr", "add", `${HOST_IP}/20`, "dev", "eth0"]), "address");
    must(run("ip", ["-n", ns, "link", "set", "eth0", "up"]), "eth0 up");
    must(run("ip", ["-n", ns, "route", "add", "default", "via", "10.13.64.1"]), "default route");
    drill.start("moto", "ip", ["netns", "exec", ns, PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", "5000"], { ...process.env });
    await waitFor("moto in the namespace", 30000, () => run("ip", ["netns", "exec", ns, "curl", "-sf", "-o", "/dev/null", "http://127.0.0.1:5000/moto-api/"]).code === 0, 250);

    bin = writeFakeCommands(dir);
    rmSync(join(bin, "aws")); // the real CLI talks to moto
    // `sleep` records the overlap and what the slot holds while the host waits.
    writeFileSync(join(bin, "sleep"), `#!/bin/bash\nprintf '%s\\n' "$1" >>"${dir}/sleep.log"\n"${AWS}" ssm get-parameter --region us-east-1 --name "${SLOT}" --query Parameter.Value --output text >"${dir}/during-overlap.pem"\n`, { mode: 0o755 });
    writeFileSync(script, renderTlsIdentityScript({ serverName: NAME, parameterPrefix: PREFIX, region: "us-east-1", reloadCommand: ["systemctl", "reload", "nginx"], validityDays: 10, renewDays: 3 }), { mode: 0o755 });
  }, 60000);
  afterAll(() => drill.cleanup());

  it("first boot: a P-256 key only root reads, a 10-day CA:FALSE certificate for the tier name, published to the slot of the host's IP", () => {
    const first = identity();
    expect([first.code, first.stderr.split("\n").filter(Boolean)]).toEqual([0, ["tls-identity: created the TLS identity for web.webplat-dev-stage3.internal", `tls-identity: published 1 certificate(s) to ${SLOT}`]]);
    expect(statSync(tlsDir).mode & 0o777).toBe(0o755);
    expect(statSync(join(tlsDir, "key.pem")).mode & 0o777).toBe(0o600);
    expect(statSync(join(tlsDir, "cert.pem")).mode & 0o777).toBe(0o644);
    const cert = new X509Certificate(readFileSync(join(tlsDir, "cert.pem")));
    expect(cert.subject).toBe(`CN=${NAME}`);
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.subjectAltName).toBe(`DNS:${NAME}`);
    expect(cert.ca).toBe(false);
    expect(cert.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]);
    expect(cert.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: "prime256v1" });
    expect(cert.checkPrivateKey(createPrivateKey(readFileSync(join(tlsDir, "key.pem"))))).toBe(true);
    const days = (Date.parse(cert.validTo) - Date.now()) / DAY;
    expect(days).toBeGreaterThan(9.9);
    expect(days).toBeLessThanOrEqual(10);
    const text = run("openssl", ["x509", "-in", join(tlsDir, "cert.pem"), "-noout", "-text"]).stdout;
    expect(text).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:FALSE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\n\s+Digital Signature\n/);
    // Only the certificate leaves the host.
    expect(slot()).toEqual({ value: readFileSync(join(tlsDir, "cert.pem"), "utf8"), version: 1 });
    expect(recordedCalls(dir, "systemctl")).toEqual([]);
  });

  it("a later run with nothing due changes nothing: same key, no write to SSM, no reload", () => {
    const key = readFileSync(join(tlsDir, "key.pem"), "utf8");
    const again = identity();
    expect([again.code, again.stderr]).toEqual([0, ""]);
    expect(readFileSync(join(tlsDir, "key.pem"), "utf8")).toBe(key);
    expect(slot()?.version).toBe(1);
    expect(recordedCalls(dir, "systemctl")).toEqual([]);
  });

  it("a slot that lost the certificate (overwritten by hand) is published again", () => {
    expect(ssm("PutParameter", { Name: SLOT, Type: "String", Overwrite: true, Value: "pending" }).code).toBe(200);
    expect(identity().code).toBe(0);
    expect(slot()).toEqual({ value: readFileSync(join(tlsDir, "cert.pem"), "utf8"), version: 3 });
  });

  it("--rotate: the next certificate published beside the current one for the overlap, then a new key served and published alone", () => {
    const [oldKey, oldCert] = [readFileSync(join(tlsDir, "key.pem"), "utf8"), readFileSync(join(tlsDir, "cert.pem"), "utf8")];
    const rotated = identity("--rotate");
    expect(rotated.code).toBe(0);
    expect(rotated.stderr.split("\n").filter(Boolean)).toEqual([
      `tls-identity: published 2 certificate(s) to ${SLOT}`,
      "tls-identity: next certificate published beside the current one; switching in 7 s",
      "tls-identity: now serving the new certificate",
      `tls-identity: published 1 certificate(s) to ${SLOT}`,
    ]);
    const [newKey, newCert] = [readFileSync(join(tlsDir, "key.pem"), "utf8"), readFileSync(join(tlsDir, "cert.pem"), "utf8")];
    expect(newKey).not.toBe(oldKey);
    expect(statSync(join(tlsDir, "key.pem")).mode & 0o777).toBe(0o600);
    expect(recordedCalls(dir, "sleep")).toEqual(["7"]);
    expect(certsIn(readFileSync(join(dir, "during-overlap.pem"), "utf8"))).toEqual([oldCert.trim(), newCert.trim()]);
    expect(recordedCalls(dir, "systemctl")).toEqual(["reload nginx"]);
    expect(slot()?.value).toBe(newCert);
  });

  it("rotates by itself once fewer than renewDays remain, and not before", () => {
    const expiring = (days: number) => {
      must(run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", String(days), "-subj", `/CN=${NAME}`,
        "-keyout", join(tlsDir, "key.pem"), "-out", join(tlsDir, "cert.pem")]), "an older certificate");
      return readFileSync(join(tlsDir, "cert.pem"), "utf8");
    };
    writeFileSync(join(dir, "systemctl.log"), "");
    const notDue = expiring(4);
    expect(identity().code).toBe(0);
    expect(readFileSync(join(tlsDir, "cert.pem"), "utf8")).toBe(notDue);
    expect(recordedCalls(dir, "systemctl")).toEqual([]);
    const due = expiring(2);
    expect(identity().code).toBe(0);
    expect(readFileSync(join(tlsDir, "cert.pem"), "utf8")).not.toBe(due);
    expect(recordedCalls(dir, "systemctl")).toEqual(["reload nginx"]);
  });

  it("a missing key makes a new identity at once (no overlap: no caller trusts the host yet)", () => {
    writeFileSync(join(dir, "sleep.log"), "");
    rmSync(join(tlsDir, "key.pem"));
    const made = identity();
    expect(made.code).toBe(0);
    expect(made.stderr).toContain("created the TLS identity");
    expect(recordedCalls(dir, "sleep")).toEqual([]);
  });
});
