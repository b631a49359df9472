/**
 * scripts/ship-release.sh against fake `aws` and `docker` that record their
 * arguments, fed the stack's real `delivery` output shape: push, scan gate,
 * replica wait, rollout active region first with the alarms, rollback of every
 * rolled region when one fails. Plus shellcheck.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { synthStack } from "../support/synth";
import { describeWithTools, run, SYSTEM_PATH, withTempDir } from "../support/tools";
import { checkShell } from "../support/validators";

const SCRIPT = join(__dirname, "../../scripts/ship-release.sh");
const REGISTRY = "123456789012.dkr.ecr";

/** The delivery output of the default stack with references replaced by what an apply would give. */
function deliveryOutput(): Record<string, any> {
  const value = synthStack("stage4-warm-standby").output!.delivery.value as Record<string, any>;
  const text = JSON.stringify(value)
    .replace(/\$\{data\.aws_caller_identity\.account\.account_id\}/g, "123456789012")
    .replace(/\$\{aws_autoscaling_group\.(primary|dr)_backend_group_[A-F0-9]+\.name\}/g, "webplat-dev-stage4-$1-backend")
    .replace(/\$\{aws_iam_role\.[^}]+\.arn\}/g, "arn:aws:iam::123456789012:role/webplat-dev-stage4-delivery");
  expect(text).not.toContain("${");
  return JSON.parse(text);
}

interface World {
  /** CRITICAL findings the scan reports ("None": none). */
  critical?: string;
  /** The DR replica never shows up. */
  noReplica?: boolean;
  /** Final status of each refresh started per group, in order (default Successful). */
  statuses?: Record<string, string[]>;
  pointers?: Record<string, string>;
  /** REFRESH_WAIT_SECONDS. @default 60 */
  refreshWait?: string;
  /** ALLOW_CRITICAL=1: ship despite CRITICAL findings. @default unset */
  allowCritical?: boolean;
}

interface Shipped {
  code: number | null;
  stderr: string;
  aws: string[];
  docker: string[];
}

function ship(world: World, tag = "v2.0.0"): Shipped {
  return withTempDir("ship-release", (dir) => {
    const bin = join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(join(dir, "delivery.json"), JSON.stringify(deliveryOutput()));
    for (const [group, statuses] of Object.entries(world.statuses ?? {})) statuses.forEach((s, n) => writeFileSync(join(dir, `status-${group}-${n + 1}`), s));
    for (const [region, value] of Object.entries(world.pointers ?? { "us-east-1": "v1.9.0", "us-west-2": "v1.9.0" })) writeFileSync(join(dir, `pointer-${region}`), value);
    writeFileSync(
      join(bin, "aws"),
      `#!/bin/bash
printf '%s\\n' "$*" >>"${dir}/aws.log"
arg() { local want=$1; shift; while [ $# -gt 0 ]; do [ "$1" = "$want" ] && { echo "$2"; return; }; shift; done; }
case "$1 $2" in
  "ecr get-login-password") echo token ;;
  "ecr wait") ;;
  "ecr describe-image-scan-findings") echo "${world.critical ?? "None"}" ;;
  "ecr describe-images") ${world.noReplica ? "exit 254" : "echo '{}'"} ;;
  "ssm get-parameter") cat "${dir}/pointer-$(arg --region "$@")" ;;
  "ssm put-parameter") ;;
  "autoscaling start-instance-refresh")
    g=$(arg --auto-scaling-group-name "$@"); n=$(( $(cat "${dir}/count-$g" 2>/dev/null || echo 0) + 1 )); echo "$n" >"${dir}/count-$g"; echo "refresh-$g-$n" ;;
  "autoscaling describe-instance-refreshes")
    g=$(arg --auto-scaling-group-name "$@"); n=$(cat "${dir}/count-$g"); cat "${dir}/status-$g-$n" 2>/dev/null || echo Successful ;;
  "autoscaling cancel-instance-refresh") ;;
  *) echo "fake aws: unexpected $*" >&2; exit 99 ;;
esac
`,
      { mode: 0o755 },
    );
    writeFileSync(join(bin, "docker"), `#!/bin/bash\nprintf '%s\\n' "$*" >>"${dir}/docker.log"\ncat >/dev/null 2>&1 || true\n`, { mode: 0o755 });
    const result = run("bash", [SCRIPT, join(dir, "delivery.json"), "shop:build-812", tag], {
      env: { PATH: `${bin}:${SYSTEM_PATH}`, POLL_SECONDS: "0", REPLICA_WAIT_SECONDS: world.noReplica ? "0" : "60", REFRESH_WAIT_SECONDS: world.refreshWait ?? "60", ...(world.allowCritical ? { ALLOW_CRITICAL: "1" } : {}) },
      timeoutMs: 120000,
    });
    const log = (name: string) => (existsSync(join(dir, `${name}.log`)) ? readFileSync(join(dir, `${name}.log`), "utf8").trim().split("\n") : []);
    return { code: result.code, stderr: result.stderr, aws: log("aws"), docker: log("docker") };
  });
}

const puts = (aws: string[]) => aws.filter((l) => l.startsWith("ssm put-parameter")).map((l) => /--region (\S+) .*--value (\S+)/.exec(l)!.slice(1).join(" "));
const refreshes = (aws: string[]) => aws.filter((l) => l.startsWith("autoscaling start-instance-refresh")).map((l) => l.replace(/^autoscaling start-instance-refresh /, ""));

describeWithTools("ship-release.sh", ["jq", "shellcheck"], false, () => {
  test("passes shellcheck", () => {
    expect(checkShell(readFileSync(SCRIPT, "utf8"))).toEqual({ ok: true, output: expect.any(String) });
  });

  test("ships: push to the source repository, scan gate, replica, then primary and DR each with its own alarms", () => {
    const out = ship({});
    expect(out.code).toBe(0);
    expect(out.docker).toEqual([
      `login --username AWS --password-stdin ${REGISTRY}.us-east-1.amazonaws.com`,
      `tag shop:build-812 ${REGISTRY}.us-east-1.amazonaws.com/webplat-dev-stage4/app:v2.0.0`,
      `push ${REGISTRY}.us-east-1.amazonaws.com/webplat-dev-stage4/app:v2.0.0`,
    ]);
    expect(out.aws).toContain("ecr describe-images --region us-west-2 --repository-name webplat-dev-stage4/app --image-ids imageTag=v2.0.0");
    expect(puts(out.aws)).toEqual(["us-east-1 v2.0.0", "us-west-2 v2.0.0"]);
    const [primary, dr] = refreshes(out.aws);
    expect(primary).toMatch(/^--region us-east-1 --auto-scaling-group-name webplat-dev-stage4-primary-backend --preferences /);
    const prefs = JSON.parse(/--preferences (\{.*\}) --query/.exec(primary)![1]);
    expect(prefs).toEqual({
      MinHealthyPercentage: 100,
      MaxHealthyPercentage: 200,
      InstanceWarmup: 300,
      SkipMatching: false,
      AlarmSpecification: { Alarms: ["webplat-dev-stage4-primary-backend-alb-5xx", "webplat-dev-stage4-primary-backend-targets-5xx", "webplat-dev-stage4-primary-backend-unhealthy-targets", "webplat-dev-stage4-primary-backend-asg-below-desired"] },
    });
    expect(dr).toContain("webplat-dev-stage4-dr-backend-alb-5xx");
    // The DR pointer changes only after the primary's refresh succeeded.
    const order = out.aws.map((l) => l.split(" --")[0] + (l.includes("us-west-2") ? " dr" : " primary"));
    expect(order.indexOf("ssm put-parameter dr")).toBeGreaterThan(order.lastIndexOf("autoscaling describe-instance-refreshes primary"));
    expect(out.stderr).toContain("shipped v2.0.0 to every region");
  });

  test("a failing DR rollout rolls DR and then the primary back to the previous release, without alarm stop, and fails", () => {
    const out = ship({ statuses: { "webplat-dev-stage4-dr-backend": ["Failed"] } });
    expect(out.code).toBe(1);
    expect(puts(out.aws)).toEqual(["us-east-1 v2.0.0", "us-west-2 v2.0.0", "us-west-2 v1.9.0", "us-east-1 v1.9.0"]);
    const all = refreshes(out.aws);
    expect(all).toHaveLength(4);
    expect(all.slice(2).map((r) => /--auto-scaling-group-name (\S+)/.exec(r)![1])).toEqual(["webplat-dev-stage4-dr-backend", "webplat-dev-stage4-primary-backend"]);
    for (const r of all.slice(2)) expect(r).not.toContain("AlarmSpecification");
    expect(out.stderr).toContain("refresh refresh-webplat-dev-stage4-dr-backend-1 ended Failed");
    expect(out.stderr).toContain("v2.0.0 was not shipped: rolled back to the previous releases");
  });

  test("an alarm during the primary rollout (the refresh fails) rolls the primary back; DR is never touched", () => {
    const out = ship({ statuses: { "webplat-dev-stage4-primary-backend": ["Failed"] } });
    expect(out.code).toBe(1);
    expect(puts(out.aws)).toEqual(["us-east-1 v2.0.0", "us-east-1 v1.9.0"]);
    expect(refreshes(out.aws).every((r) => r.includes("us-east-1"))).toBe(true);
  });

  test("a refresh that never ends is cancelled and rolled back", () => {
    const out = ship({ statuses: { "webplat-dev-stage4-primary-backend": ["InProgress"] }, refreshWait: "0" });
    expect(out.code).toBe(1);
    expect(out.aws).toContain("autoscaling cancel-instance-refresh --region us-east-1 --auto-scaling-group-name webplat-dev-stage4-primary-backend");
    expect(puts(out.aws)).toEqual(["us-east-1 v2.0.0", "us-east-1 v1.9.0"]);
  });

  test("CRITICAL scan findings stop the release before any pointer changes", () => {
    const out = ship({ critical: "3" });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("has 3 CRITICAL findings: not shipped");
    expect(puts(out.aws)).toEqual([]);
  });

  test('"stops on CRITICAL findings (ALLOW_CRITICAL=1 overrides)"', () => {
    const out = ship({ critical: "3", allowCritical: true });
    expect(out.code).toBe(0);
    expect(puts(out.aws)).toEqual(["us-east-1 v2.0.0", "us-west-2 v2.0.0"]);
  });

  test("no replica in the DR region: nothing shipped", () => {
    const out = ship({ noReplica: true });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("did not reach us-west-2");
    expect(puts(out.aws)).toEqual([]);
  });

  test.each([["none"], ["latest;reboot"], [""]])("tag %j is refused before anything is pushed", (tag) => {
    const out = ship({}, tag);
    expect(out.code).toBe(2);
    expect(out.docker).toEqual([]);
    expect(out.aws).toEqual([]);
  });
});
