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
import { Lazy } from "cdktf";
import { InvalidInputError } from "../../modules/core/validation";
import { recordedCalls, writeFakeCommands } from "../support/fake-commands";
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
    // The allocation id and the endpoint are pasted into a root shell script: anything around a valid value is an injection.
    ["shell text before an allocation id", { ...params, allocationId: '";reboot;"eipalloc-0a1b2c3d4e5f60718' }, /failover\.allocationId: .*expected an Elastic IP allocation id such as eipalloc-0123456789abcdef0 \(or a Terraform reference to one\)/],
    ["shell text after an allocation id", { ...params, allocationId: 'eipalloc-0a1b2c3d4e5f60718";reboot;"' }, /failover\.allocationId/],
    ["shell text before a Terraform reference", { ...params, allocationId: '";reboot;"${aws_eip.lb.allocation_id}' }, /failover\.allocationId/],
    ["shell text after a Terraform reference", { ...params, allocationId: '${aws_eip.lb.allocation_id}";reboot;"' }, /failover\.allocationId/],
    ["a region only known at apply time", { ...params, region: Lazy.stringValue({ produce: () => "eu-west-1" }) }, /^failover\.region: /],
    ["text before the IMDS endpoint", { ...params, imdsEndpoint: "xhttp://169.254.169.254" }, /failover\.imdsEndpoint: .*expected http:\/\/<ip>\[:port\], e\.g\. http:\/\/169\.254\.169\.254/],
    ["a path after the IMDS endpoint", { ...params, imdsEndpoint: "http://169.254.169.254/latest" }, /failover\.imdsEndpoint/],
  ])("rejects %s", (_name, p, message) => {
    expect(() => renderFailoverScript(p)).toThrow(InvalidInputError);
    expect(() => renderFailoverScript(p)).toThrow(message);
  });
  it.each(["http://169.254.169.254:80", "http://127.0.0.1:18080"])("accepts the IMDS endpoint %s (a port of any length)", (imdsEndpoint) => {
    expect(renderFailoverScript({ ...params, imdsEndpoint })).toContain(`IMDS_ENDPOINT="\${IMDS_ENDPOINT:-${imdsEndpoint}}"`);
  });
});

describeWithTools("failover script runs (fake IMDSv2 on loopback, fake aws)", ["bash", "curl"], false, () => {
  let imds: Server;
  let endpoint: string;
  /** The fake IMDS answers 500 to this many token requests before it recovers. */
  let imdsFailures = 0;
  let tokenRequests = 0;
  beforeAll(async () => {
    imds = createServer((req, res) => {
      if (req.method === "PUT" && req.url === "/latest/api/token" && imdsFailures > 0) {
        tokenRequests++;
        imdsFailures--;
        res.statusCode = 500;
        res.end();
      } else if (req.method === "PUT" && req.url === "/latest/api/token") {
        tokenRequests++;
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

  beforeEach(() => {
    imdsFailures = 0;
    tokenRequests = 0;
  });

  async function runScript(dir: string, imdsEndpoint: string, awsExit = 0, options: { attempts?: number; afterAssociateCommand?: string } = { attempts: 2 }): Promise<{ code: number; stderr: string }> {
    const bin = writeFakeCommands(dir);
    writeFileSync(join(dir, "aws-exit"), String(awsExit));
    writeFileSync(join(dir, "failover"), renderFailoverScript({ ...params, ...options }), { mode: 0o755 });
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

  /** An after-associate command that records that it ran (the certificate pull in production). */
  function afterCommand(dir: string): string {
    const path = join(dir, "after-associate");
    writeFileSync(path, `#!/bin/bash\necho ran >>"${dir}/after.log"\n`, { mode: 0o755 });
    return path;
  }

  it("each step retried with backoff: an AWS API that fails 3 times then answers is called 4 times, waits 1, 2, 4 s, and the EIP moves", async () => {
    await withTempDirAsync("failover", async (dir) => {
      writeFileSync(join(dir, "aws-failures"), "3");
      const r = await runScript(dir, endpoint, 0, { afterAssociateCommand: afterCommand(dir) });
      expect(r.code).toBe(0);
      const calls = recordedCalls(dir, "aws");
      expect(calls).toHaveLength(4);
      expect(new Set(calls)).toEqual(new Set([
        "ec2 associate-address --region eu-west-1 --allocation-id eipalloc-0a1b2c3d4e5f60718 --instance-id i-0123456789abcdef0 --allow-reassociation --output text",
      ]));
      expect(recordedCalls(dir, "sleep")).toEqual(["1", "2", "4"]);
      expect(r.stderr).toMatch(/associate_address failed \(attempt 1 of 5\); retrying in 1s[\s\S]*attempt 3 of 5\); retrying in 4s[\s\S]*associated eipalloc-0a1b2c3d4e5f60718 with i-0123456789abcdef0 in eu-west-1/);
      expect(r.stderr).not.toContain("giving up");
      expect(readFileSync(join(dir, "after.log"), "utf8")).toBe("ran\n");
    });
  });

  it("non-zero exit on failure: an AWS API that always fails is tried 5 times (the default), exits 2, logs why, and runs nothing after", async () => {
    await withTempDirAsync("failover", async (dir) => {
      writeFileSync(join(dir, "aws-failures"), "1000");
      const r = await runScript(dir, endpoint, 0, { afterAssociateCommand: afterCommand(dir) });
      expect(r.code).toBe(2);
      expect(recordedCalls(dir, "aws")).toHaveLength(5);
      expect(recordedCalls(dir, "sleep")).toEqual(["1", "2", "4", "8"]);
      expect(r.stderr).toContain("associate_address failed 5 times; giving up");
      expect(r.stderr).not.toMatch(/associated eipalloc/);
      // No partial state: the certificate pull (the after-associate command) never ran.
      expect(() => readFileSync(join(dir, "after.log"))).toThrow();
    });
  });

  it("IMDSv2 retried too: a metadata service that fails twice then answers yields the instance id and one AWS call", async () => {
    await withTempDirAsync("failover", async (dir) => {
      imdsFailures = 2;
      const r = await runScript(dir, endpoint, 0, {});
      expect(r.code).toBe(0);
      expect(tokenRequests).toBe(3);
      expect(recordedCalls(dir, "sleep")).toEqual(["1", "2"]);
      expect(recordedCalls(dir, "aws")).toEqual([
        "ec2 associate-address --region eu-west-1 --allocation-id eipalloc-0a1b2c3d4e5f60718 --instance-id i-0123456789abcdef0 --allow-reassociation --output text",
      ]);
    });
  });

  it("gives up on a metadata service that never answers after the configured attempts, exit 1, no AWS call", async () => {
    await withTempDirAsync("failover", async (dir) => {
      imdsFailures = 1000;
      const r = await runScript(dir, endpoint, 0, { attempts: 3 });
      expect(r.code).toBe(1);
      expect(tokenRequests).toBe(3);
      expect(recordedCalls(dir, "aws")).toEqual([]);
      expect(r.stderr).toContain("fetch_instance_id failed 3 times; giving up");
    });
  });

  it("refuses an instance id that is not one (no AWS call with it)", async () => {
    await withTempDirAsync("failover", async (dir) => {
      const odd = createServer((req, res) => res.end(req.method === "PUT" ? "tok" : "i-; rm -rf /"));
      await new Promise<void>((resolve) => odd.listen(0, "127.0.0.1", resolve));
      try {
        const r = await runScript(dir, `http://127.0.0.1:${(odd.address() as AddressInfo).port}`, 0, { attempts: 1 });
        expect(r.code).toBe(1);
        expect(r.stderr).toContain("metadata returned an unexpected instance id");
        expect(recordedCalls(dir, "aws")).toEqual([]);
      } finally {
        await new Promise<void>((resolve) => odd.close(() => resolve()));
      }
    });
  });

  it("a failing after-associate command is logged but does not fail the failover (the EIP moved)", async () => {
    await withTempDirAsync("failover", async (dir) => {
      const failing = join(dir, "failing-pull");
      writeFileSync(failing, "#!/bin/bash\nexit 3\n", { mode: 0o755 });
      const r = await runScript(dir, endpoint, 0, { afterAssociateCommand: failing });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`${failing} failed; continuing (the EIP moved)`);
    });
  });
});
