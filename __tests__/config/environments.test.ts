/**
 * Two environments from one config file, differing only by `environment`,
 * can live in one account: no state key and no account-unique name is shared.
 */
import { AWS_NAME_LIMITS } from "../../stacks/name-limits";
import { REQUIRED_TERRAFORM_VERSION, REQUIRED_TERRAFORM_VERSION_WRITE_ONLY } from "../../stacks/platform-stack";
import { ALL_STACKS, synthFromOverrides } from "../support/config-synth";

/** Limited names that AWS does not require to be unique in an account: an inline policy's name is per role; ElastiCache users share the user name "default" (their ids differ); a target group's name_prefix gets a unique suffix from Terraform. */
const UNIQUE_WITHIN_PARENT = new Set(["aws_iam_role_policy.name", "aws_elasticache_user.user_name", "aws_lb_target_group.name_prefix"]);

const SHARED_FILE = { state: { bucket: "acme-terraform-state" }, project: "shop" };

/** Every name AWS requires to be unique per account (or region) and every state key of all stacks of one environment. */
function accountUniqueNames(environment: string): Map<string, string> {
  const outcome = synthFromOverrides({ ...SHARED_FILE, environment }, { keep: true });
  if (!outcome.ok) throw new Error(outcome.message);
  const names = new Map<string, string>();
  for (const stack of ALL_STACKS) {
    const json = outcome.json(stack);
    names.set(`state key ${json.terraform.backend.s3.key}`, stack);
    for (const [type, blocks] of Object.entries<Record<string, Record<string, unknown>>>(json.resource)) {
      for (const [name, block] of Object.entries(blocks)) {
        for (const [attribute, value] of Object.entries(block)) {
          if (`${type}.${attribute}` in AWS_NAME_LIMITS && !UNIQUE_WITHIN_PARENT.has(`${type}.${attribute}`) && typeof value === "string" && !value.includes("${")) names.set(`${type}.${attribute}=${value}`, `${stack} ${type}.${name}`);
        }
      }
    }
  }
  return names;
}

describe("environments in one account", () => {
  const dev = accountUniqueNames("dev");
  const prod = accountUniqueNames("prod");

  it("collect many names (the check is not empty)", () => {
    expect(dev.size).toBeGreaterThan(150);
    expect([...dev.keys()].filter((k) => k.startsWith("aws_iam_role.name=")).length).toBeGreaterThan(5);
  });

  it("\"Two environments built from one file that differ only by `environment` can live in one account (a test synthesizes `dev` and `prod` and finds no shared name or state key)\"", () => {
    const shared = [...dev.keys()].filter((key) => prod.has(key));
    expect(shared).toEqual([]);
  });

  it("state keys carry project and environment", () => {
    expect([...prod.keys()].filter((k) => k.startsWith("state key")).sort()).toEqual(ALL_STACKS.map((s) => `state key staged-web-platform/shop/prod/${s}.tfstate`).sort());
  });
});

describe("Terraform version", () => {
  it("\"Every stack declares `required_version = \">= 1.10\"`: the S3 backend's native lock file (`use_lockfile`) needs Terraform 1.10; stage 4 declares `\">= 1.11\"`\"", () => {
    const outcome = synthFromOverrides({}, { keep: true });
    if (!outcome.ok) throw new Error(outcome.message);
    // Stage 4 needs more: it sets the database password with write-only arguments (Terraform 1.11).
    for (const stack of ALL_STACKS) expect([stack, outcome.json(stack).terraform.required_version]).toEqual([stack, stack === "stage4-warm-standby" ? REQUIRED_TERRAFORM_VERSION_WRITE_ONLY : REQUIRED_TERRAFORM_VERSION]);
    expect(REQUIRED_TERRAFORM_VERSION).toBe(">= 1.10");
    expect(REQUIRED_TERRAFORM_VERSION_WRITE_ONLY).toBe(">= 1.11");
  });
});
