/**
 * The single source of the files the server-config tests and drills check:
 * the user data of the SYNTHESIZED stacks (default configuration), exactly as
 * Terraform hands it to the instances. Apply-time references (the EIP
 * allocation id, database and cache endpoints) are replaced by sample values
 * of the right shape, as Terraform would replace them by real ones.
 *
 * Load balancers boot with a backends file without servers and fill it from
 * the SSM parameter on their first sync; the files here are the ones a
 * running load balancer serves with, so backends.cfg is the synced one
 * (rendered from the stack's parameter value with the renderer the sync
 * script is proven byte-identical to).
 */
import { parseCloudConfig } from "../../modules/core/cloud-config";
import { launchTemplateUserDataBytes, readLaunchTemplateUserData } from "../../modules/core/launch-template-user-data";
import { unescapeTerraformTemplate } from "../../modules/core/terraform-text";
import { DEFAULT_CONFIG, InfraConfig } from "../../stacks/config";
import { HAPROXY_BACKENDS_PATH, normalizeBackends, renderHaproxyServerLine } from "../../modules/server-config";
import { TfJson, resourcesOf, synthStack } from "./synth";

export interface RenderedFile {
  /** Host role, e.g. "lb-a", "web", "monitoring". */
  readonly role: string;
  /** Absolute path on the host. */
  readonly path: string;
  /** Content exactly as the host receives it. */
  readonly content: string;
  /** Octal permissions as written. */
  readonly permissions: string;
}

/** What the EIP allocation id resolves to in these files. */
export const SAMPLE_ALLOCATION_ID = "eipalloc-0a1b2c3d4e5f60718";

/** What the alert topic's ARN resolves to in these files. */
export const SAMPLE_ALERT_TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:webplat-dev-stage3-alerts";

/** Facts of the synthesized stage-3 deployment the drills reproduce. */
export interface Stage3Facts {
  readonly region: string;
  readonly allocationId: string;
  readonly lbA: { readonly privateIp: string };
  readonly lbB: { readonly privateIp: string };
  readonly monitoring: { readonly regions: string[]; readonly projectTagKey: string; readonly projectTagValue: string };
}

/** Which instance of which stack stands for each role the tests name. */
const ROLE_SOURCES: readonly { role: string; stack: string; pick: (json: TfJson) => Record<string, any> }[] = [
  { role: "lb-a", stack: "stage3-scale-up", pick: (json) => instanceNamed(json, "-lb-a") },
  { role: "lb-b", stack: "stage3-scale-up", pick: (json) => instanceNamed(json, "-lb-b") },
  { role: "web", stack: "stage3-scale-up", pick: (json) => instanceWithRole(json, "web") },
  { role: "app", stack: "stage3-scale-up", pick: (json) => instanceWithRole(json, "app") },
  { role: "monitoring", stack: "stage3-scale-up", pick: (json) => instanceWithRole(json, "monitoring") },
  { role: "single-server", stack: "stage0-single-server", pick: (json) => instanceWithRole(json, "single-server") },
  { role: "stage1-lb", stack: "stage1-distributed", pick: (json) => instanceWithRole(json, "load-balancer") },
  { role: "stage1-web", stack: "stage1-distributed", pick: (json) => instanceWithRole(json, "web") },
  { role: "stage2-lb", stack: "stage2-secured-monitored", pick: (json) => instanceWithRole(json, "load-balancer") },
  { role: "stage2-monitoring", stack: "stage2-secured-monitored", pick: (json) => instanceWithRole(json, "monitoring") },
  { role: "stage4-frontend", stack: "stage4-warm-standby", pick: (json) => launchTemplate(json, "primary_frontend") },
  { role: "stage4-backend", stack: "stage4-warm-standby", pick: (json) => launchTemplate(json, "primary_backend") },
];

function instanceNamed(json: TfJson, suffix: string): Record<string, any> {
  const found = resourcesOf(json, "aws_instance").find(([, i]) => String(i.tags?.Name).endsWith(suffix));
  if (!found) throw new Error(`no instance named *${suffix}`);
  return found[1];
}

function instanceWithRole(json: TfJson, role: string): Record<string, any> {
  const found = resourcesOf(json, "aws_instance").find(([, i]) => i.tags?.Role === role);
  if (!found) throw new Error(`no instance with Role ${role}`);
  return found[1];
}

function launchTemplate(json: TfJson, prefix: string): Record<string, any> {
  const found = resourcesOf(json, "aws_launch_template").find(([name]) => name.startsWith(prefix));
  if (!found) throw new Error(`no launch template ${prefix}*`);
  return found[1];
}

/** A Terraform reference as the instance would see it once applied. */
function sampleValueFor(reference: string): string {
  if (reference.endsWith(".allocation_id")) return SAMPLE_ALLOCATION_ID;
  if (reference.includes("aws_elasticache_replication_group")) return "master.cache.abc123.use1.cache.amazonaws.com";
  if (reference.includes("aws_db_instance") && reference.endsWith(".address")) return "db.abc123.us-east-1.rds.amazonaws.com";
  if (reference.startsWith("aws_sns_topic.") && reference.endsWith(".arn")) return SAMPLE_ALERT_TOPIC_ARN;
  if (reference.endsWith("aws_caller_identity.account.account_id")) return "123456789012";
  if (reference.includes("master_user_secret")) return "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-db-credentials-AbCdEf";
  // Stage 4's replicated master secret: the primary copy, and the DR copy through its local.
  if (reference.startsWith("aws_secretsmanager_secret.") && reference.endsWith(".arn")) return "arn:aws:secretsmanager:us-east-1:123456789012:secret:webplat-dev-stage4-db-master-AbCdEf";
  if (reference.startsWith("local.") && reference.includes("dr-arn")) return "arn:aws:secretsmanager:us-west-2:123456789012:secret:webplat-dev-stage4-db-master-AbCdEf";
  throw new Error(`no sample value for the reference ${reference}`);
}

/** User data of an instance (template string) or launch template (base64, maybe assembled by Terraform functions); `valueFor` stands in for apply-time references. */
export function userDataOf(resource: Record<string, any>, valueFor: (reference: string) => string = sampleValueFor): string {
  const raw: string = resource.user_data;
  const launchTemplate = readLaunchTemplateUserData(raw, valueFor);
  if (launchTemplate !== undefined) return launchTemplate;
  const text = resource.user_data_base64 !== undefined || /^[A-Za-z0-9+/=]+$/.test(raw) ? Buffer.from(raw, "base64").toString("utf8") : raw;
  // Terraform renders `${ref}` first, then `$${` → `${`.
  return unescapeTerraformTemplate(text.replace(/(?<!\$)\$\{([a-z0-9_]+\.[^}]+)\}/g, (_m, ref: string) => valueFor(ref)));
}

/** User data (#cloud-config + JSON) per role, as the instances of the synthesized stacks receive it. */
export function userDataByRole(): Record<string, string> {
  return Object.fromEntries(ROLE_SOURCES.map(({ role, stack, pick }) => [role, userDataOf(pick(synthStack(stack)))]));
}

/**
 * Bytes EC2 receives as each role's user data: an instance's text as it is,
 * a launch template's gzip-compressed and base64-encoded (what Terraform's
 * `base64gzip` sends; see modules/core/launch-template-user-data.ts).
 */
export function deliveredUserDataBytesByRole(): Record<string, number> {
  return Object.fromEntries(
    ROLE_SOURCES.map(({ role, stack, pick }) => {
      const resource = pick(synthStack(stack));
      const text = userDataOf(resource);
      const launchTemplate = readLaunchTemplateUserData(resource.user_data) !== undefined;
      return [role, launchTemplate ? launchTemplateUserDataBytes(text, 0) : Buffer.byteLength(text)];
    }),
  );
}

/** One file of one role when the stacks are synthesized from another configuration (e.g. other alert thresholds). */
export function renderedFileWith(config: InfraConfig, role: string, path: string): string {
  const source = ROLE_SOURCES.find((r) => r.role === role);
  if (!source) throw new Error(`unknown role ${role}`);
  const file = parseCloudConfig(userDataOf(source.pick(synthStack(source.stack, config)))).write_files.find((f) => f.path === path);
  if (!file) throw new Error(`role ${role} writes no file ${path}`);
  return file.content;
}

/** The web servers a stack publishes to its load balancers (the SSM parameter's value). */
export function publishedBackends(stack: string): string[] {
  const found = resourcesOf(synthStack(stack), "aws_ssm_parameter").find(([, p]) => String(p.name).endsWith("/haproxy/backends"));
  if (!found) throw new Error(`${stack} publishes no backend list`);
  return String(found[1].value).split(",");
}

/** backends.cfg once the load balancer's first sync ran. */
function syncedBackends(role: string, firstBoot: string): string {
  return syncedBackendsOf(ROLE_SOURCES.find((r) => r.role === role)!.stack, firstBoot);
}

/** backends.cfg of a stack's load balancer after its first sync from the SSM parameter. */
export function syncedBackendsOf(stack: string, firstBoot: string): string {
  return firstBoot.trimEnd() + "\n" + normalizeBackends(publishedBackends(stack)).map(renderHaproxyServerLine).join("");
}

/** Addresses and names of the synthesized stage 3 that the drills need. */
export function stage3Facts(): Stage3Facts {
  const json = synthStack("stage3-scale-up");
  return {
    region: DEFAULT_CONFIG.primaryRegion,
    allocationId: SAMPLE_ALLOCATION_ID,
    lbA: { privateIp: instanceNamed(json, "-lb-a").private_ip },
    lbB: { privateIp: instanceNamed(json, "-lb-b").private_ip },
    monitoring: { regions: [DEFAULT_CONFIG.primaryRegion, DEFAULT_CONFIG.secondaryRegion], projectTagKey: "Project", projectTagValue: DEFAULT_CONFIG.project },
  };
}

let cache: RenderedFile[] | undefined;

/** Every file written by every role's user data. */
export function renderedFiles(): RenderedFile[] {
  if (!cache) {
    cache = Object.entries(userDataByRole()).flatMap(([role, userData]) =>
      parseCloudConfig(userData).write_files.map((f) => ({
        role,
        path: f.path,
        content: f.path === HAPROXY_BACKENDS_PATH ? syncedBackends(role, f.content) : f.content,
        permissions: f.permissions,
      })),
    );
  }
  return cache;
}

/** Content of one file of one role; throws when absent. */
export function renderedFile(role: string, path: string): string {
  const file = renderedFiles().find((f) => f.role === role && f.path === path);
  if (!file) throw new Error(`role ${role} writes no file ${path}`);
  return file.content;
}

/** Roles that write a file at `path`. */
export function rolesWriting(path: string): string[] {
  return renderedFiles().filter((f) => f.path === path).map((f) => f.role);
}
