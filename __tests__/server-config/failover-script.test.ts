/**
 * The failover script: facts, rejected inputs, and real runs against a fake
 * IMDSv2 on loopback and a fake `aws` (the full keepalived path is Drill B).
 */
import { execFile } from "child_process";
import { createServer, Server } from "http";
import { AddressInfo } from "net";
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { promisify } from "util";
import { renderFailoverScript } from "../../modules/server-config/failover-script";
import { InvalidInputError } from "../../modules/core/validation";
import { writeFakeCommands } from "../support/fake-commands";
import { describeWithTools, SYSTEM_PATH, withTempDirAsync } from "../support/tools";

const params = { allocationId: "eipalloc-0a1b2c3d4e5f60718", region: "eu-west-1" };
const script = renderFailoverScript(params);

describe("failover script facts", () => {
  it("uses IMDSv2 (token first) with an overridable endpoint", () => {
    expect(script).toContain('IMDS_ENDPOINT="${IMDS_ENDPOINT:-http://169.254.169.254}"');
    expect(script).toMatch(/-X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' "\$IMDS_ENDPOINT\/latest\/api\/token"/);
    expect(script).toContain('-H "X-aws-ec2-metadata-token: $token"');
  });
  it("associates the EIP with reassociation in the right region", () => {
    expect(script).toMatch(/aws ec2 associate-address --region "\$REGION" --allocation-id "\$ALLOCATION_ID" \\\n\s+--instance-id "\$INSTANCE_ID" --allow-reassociation/);
    expect(script).toContain('REGION="eu-west-1"');
  });
  it("runs the after-associate command only when given", () => {
    expect(script).not.toContain("continuing (the EIP moved)");
    expect(renderFailoverScript({ ...params, afterAssociateCommand: "/usr/local/sbin/haproxy-cert-pull" })).toContain('if ! "/usr/local/sbin/haproxy-cert-pull"; then');
  });
  it("accepts a Terraform reference as allocation id", () => {
    expect(renderFailoverScript({ ...params, allocationId: "${aws_eip.lb.allocation_id}" })).toContain('ALLOCATION_ID="${aws_eip.lb.allocation_id}"');
  });
});

describe("failover script rejected inputs", () => {
  it.each([
    ["allocation id of another kind", { ...params, allocationId: "eip-123" }, /failover\.allocationId/],
    ["allocation id with shell characters", { ...params, allocationId: "eipalloc-1;rm" }, /failover\.allocationId/],
    ["bad region", { ...params, region: "eu_west_1" }, /failover\.region/],
    ["attempts 0", { ...params, attempts: 0 }, /failover\.attempts/],
    ["relative after-associate command", { ...params, afterAssociateCommand: "cert-pull" }, /failover\.afterAssociateCommand/],
    ["https IMDS endpoint", { ...params, imdsEndpoint: "https://169.254.169.254" }, /failover\.imdsEndpoint/],
  ])("rejects %s", (_name, p, message) => {
    expect(() => renderFailoverScript(p)).toThrow(InvalidInputError);
    expect(() => renderFailoverScript(p)).toThrow(message);
  });
});

describeWithTools("failover script runs (fake IMDSv2 on loopback, fake aws)", ["bash", "curl"], false, () => {
  let imds: Server;
  let endpoint: string;
  beforeAll(async () => {
    imds = createServer((req, res) => {
      if (req.method === "PUT" && req.url === "/latest/api/token") {
        res.end("tok");
      } else if (req.url === "/latest/meta-data/instance-id" && req.headers["x-aws-ec2-metadata-token"] === "tok") {
        res.end("i-0123456789abcdef0");
      } else {
        res.statusCode = 401;
        res.end();
      }
    });
    await new Promise<void>((resolve) => imds.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(imds.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => imds.close(() => resolve())));

  async function runScript(dir: string, imdsEndpoint: string, awsExit = 0): Promise<{ code: number; stderr: string }> {
    const bin = writeFakeCommands(dir);
    writeFileSync(join(dir, "aws-exit"), String(awsExit));
    writeFileSync(join(dir, "failover"), renderFailoverScript({ ...params, attempts: 2 }), { mode: 0o755 });
    try {
      const r = await promisify(execFile)("bash", [join(dir, "failover")], { env: { PATH: `${bin}:${SYSTEM_PATH}`, IMDS_ENDPOINT: imdsEndpoint } });
      return { code: 0, stderr: r.stderr };
    } catch (error) {
      const e = error as { code: number; stderr: string };
      return { code: e.code, stderr: e.stderr };
    }
  }

  it("associates the EIP with its own instance id and logs each step", async () => {
    await withTempDirAsync("failover", async (dir) => {
      const r = await runScript(dir, endpoint);
      expect(r.code).toBe(0);
      expect(readFileSync(join(dir, "aws.log"), "utf8").trim()).toBe(
        "ec2 associate-address --region eu-west-1 --allocation-id eipalloc-0a1b2c3d4e5f60718 --instance-id i-0123456789abcdef0 --allow-reassociation --output text",
      );
      expect(r.stderr).toMatch(/became MASTER[\s\S]*this instance is i-0123456789abcdef0[\s\S]*associated eipalloc-0a1b2c3d4e5f60718/);
    });
  });
  it("retries, then exits 2 when the AWS call keeps failing", async () => {
    await withTempDirAsync("failover", async (dir) => {
      const r = await runScript(dir, endpoint, 255);
      expect(r.code).toBe(2);
      expect(readFileSync(join(dir, "aws.log"), "utf8").trim().split("\n")).toHaveLength(2);
      expect(r.stderr).toMatch(/retrying in 1s[\s\S]*giving up/);
    });
  });
  it("exits 1 without calling AWS when the metadata service is unreachable", async () => {
    await withTempDirAsync("failover", async (dir) => {
      const r = await runScript(dir, "http://127.0.0.1:1");
      expect(r.code).toBe(1);
      expect(() => readFileSync(join(dir, "aws.log"))).toThrow();
    });
  });
});
