import { Construct } from "constructs";
import { Fn, TerraformLocal, TerraformProvider, TerraformStack } from "cdktf";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { CustomerManagedKey } from "../encryption";
import { PolicyStatement } from "../core/iam";
import { check, requireConcrete } from "../core/validation";
import { checkMasterUsername } from "../database/master-username";

/** Where one copy of the secret lives. */
export interface SecretRegion {
  /** AWS provider of the region. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Region name, concrete. */
  readonly region: string;
}

export interface ReplicatedDatabaseSecretProps {
  /** Secret name and key alias prefix, e.g. "webplat-dev-stage4-db-master": 1–242 letters, digits, `/`, `_` or `-`, starting with a letter; unique in its stack after every `/` and `-` is read as `_`. */
  readonly name: string;
  /** Region of the primary secret (the database's writer region). */
  readonly primary: SecretRegion;
  /** Region of the replica secret (the DR region). */
  readonly dr: SecretRegion;
  /**
   * Master user name stored next to the password: 1–16 letters, digits or underscores starting with a letter, not a
   * name RDS reserves (admin, root, postgres, rdsadmin, mysql, in any case). @default "dbadmin"
   */
  readonly username?: string;
  /**
   * Bump to rotate: a new password is generated into the secret and the
   * database takes it from there in the same apply. @default 1
   */
  readonly passwordVersion?: number;
  /** Days a deleted secret can still be restored (7–30). @default 30 */
  readonly recoveryWindowDays?: number;
}

/** What RdsDatabase needs to set its master password from this secret. */
export interface WriteOnlyMasterPassword {
  /** Secret the hosts read the credentials from (primary region). */
  readonly secretArn: string;
  /** A Terraform expression of an ephemeral value: written to RDS, never stored in plan or state. */
  readonly writeOnly: string;
  /** Changing it makes Terraform send `writeOnly` again. */
  readonly version: number;
}

/**
 * The database master credentials as one Secrets Manager secret in the
 * primary region with a replica in the DR region, each copy encrypted with a
 * customer managed key of its own region. The password exists only in Secrets
 * Manager and RDS: Secrets Manager generates it (ephemeral
 * `aws_secretsmanager_random_password`), Terraform writes it with write-only
 * arguments (`secret_string_wo`, and the database's `password_wo` read back
 * from the secret), so it is in no JSON, plan or state (Terraform ≥ 1.11).
 *
 * Why not RDS's managed secret: it lives only in the primary region, RDS owns
 * it (no replica), and a promoted cross-region replica has none — the DR hosts
 * would have nothing to read after a failover. The replica here is readable in
 * the DR region whether or not the primary region answers.
 */
export class ReplicatedDatabaseSecret extends Construct {
  readonly username: string;
  readonly primaryRegion: string;
  readonly drRegion: string;
  /** ARN of the primary secret (primary region). */
  readonly primaryArn: string;
  /** ARN of the replica (DR region). */
  readonly drArn: string;
  readonly masterPassword: WriteOnlyMasterPassword;
  private readonly keys: Record<"primary" | "dr", CustomerManagedKey>;

  constructor(scope: Construct, id: string, props: ReplicatedDatabaseSecretProps) {
    super(scope, id);
    requireConcrete(`${id}.primary.region`, props.primary.region);
    requireConcrete(`${id}.dr.region`, props.dr.region);
    check(props.primary.region !== props.dr.region, `${id}.dr.region`, props.dr.region, `a region other than the primary (${props.primary.region})`);
    // The name also names the KMS aliases <name>-primary / <name>-dr (letters, digits, /_-, 250 at most) and, with
    // every other character turned into _, the ephemeral blocks (a Terraform name starts with a letter).
    check(/^[A-Za-z][A-Za-z0-9/_-]{0,241}$/.test(props.name), `${id}.name`, props.name, NAME_ALLOWED);
    const username = props.username ?? "dbadmin";
    checkMasterUsername(`${id}.username`, username);
    const version = props.passwordVersion ?? 1;
    check(Number.isInteger(version) && version >= 1, `${id}.passwordVersion`, version, "an integer from 1 (bump it to rotate the password)");
    const recovery = props.recoveryWindowDays ?? 30;
    check(Number.isInteger(recovery) && recovery >= 7 && recovery <= 30, `${id}.recoveryWindowDays`, recovery, "an integer from 7 to 30");

    const key = (role: "primary" | "dr", where: SecretRegion) =>
      new CustomerManagedKey(this, `${role}-key`, { provider: where.provider, alias: `${props.name}-${role}`, description: `Database master secret ${props.name} (${where.region})` });
    this.keys = { primary: key("primary", props.primary), dr: key("dr", props.dr) };

    const secret = new SecretsmanagerSecret(this, "secret", {
      provider: props.primary.provider,
      name: props.name,
      description: `Master credentials of the database (${username}); replicated to ${props.dr.region} for the DR tier`,
      kmsKeyId: this.keys.primary.keyArn,
      replica: [{ region: props.dr.region, kmsKeyId: this.keys.dr.keyArn }],
      recoveryWindowInDays: recovery,
      tags: { Name: props.name },
    });

    // cdktf 0.21 has no ephemeral-resource classes: the blocks are written raw.
    const stack = TerraformStack.of(this);
    const local = props.name.replace(/[^A-Za-z0-9_]/g, "_");
    const taken = blockNamesOf(stack);
    check(!taken.has(local), `${id}.name`, props.name, `a name whose Terraform block name (${local}) differs from that of ${taken.get(local)} in this stack`);
    taken.set(local, props.name);
    const providerRef = (p?: TerraformProvider) => (p ? { provider: p.fqn } : {});
    const random = `ephemeral.aws_secretsmanager_random_password.${local}`;
    stack.addOverride(`ephemeral.aws_secretsmanager_random_password.${local}`, {
      ...providerRef(props.primary.provider),
      password_length: 32,
      exclude_punctuation: true,
      require_each_included_type: true,
      // Empty, but unknown until the secret exists: a first plan (and the offline plan) defers
      // GetRandomPassword to apply instead of calling AWS while planning.
      exclude_characters: Fn.substr(secret.arn, 0, 0),
    });
    const versionResource = new SecretsmanagerSecretVersion(this, "value", {
      provider: props.primary.provider,
      secretId: secret.id,
      secretStringWo: `\${jsonencode({username = "${username}", password = ${random}.random_password})}`,
      secretStringWoVersion: version,
    });
    // The database takes its password from the secret (not from the generator), so a re-created
    // database or a half-finished apply can never leave the two disagreeing.
    const readBack = `ephemeral.aws_secretsmanager_secret_version.${local}`;
    stack.addOverride(readBack, {
      ...providerRef(props.primary.provider),
      secret_id: secret.id,
      depends_on: [`${versionResource.terraformResourceType}.${versionResource.friendlyUniqueId}`],
    });

    this.username = username;
    this.primaryRegion = props.primary.region;
    this.drRegion = props.dr.region;
    this.primaryArn = secret.arn;
    // A local, so policies name it as a plain reference (no quoted arguments inside the policy JSON).
    this.drArn = new TerraformLocal(this, "dr-arn", Fn.replace(secret.arn, `:${props.primary.region}:`, `:${props.dr.region}:`)).asString;
    this.masterPassword = { secretArn: secret.arn, writeOnly: `\${jsondecode(${readBack}.secret_string).password}`, version };
  }

  /** ARN of the copy in `region` (a replica's ARN is the primary's with its region). */
  arnIn(region: string): string {
    if (region === this.primaryRegion) return this.primaryArn;
    check(region === this.drRegion, "ReplicatedDatabaseSecret.arnIn", region, `${this.primaryRegion} or ${this.drRegion}`);
    return this.drArn;
  }

  /** Key that encrypts the copy in `region`. */
  keyArnIn(region: string): string {
    if (region === this.primaryRegion) return this.keys.primary.keyArn;
    check(region === this.drRegion, "ReplicatedDatabaseSecret.keyArnIn", region, `${this.primaryRegion} or ${this.drRegion}`);
    return this.keys.dr.keyArn;
  }

  /** Read this region's copy and decrypt it with this region's key, through Secrets Manager only; nothing else. */
  readStatements(region: string): PolicyStatement[] {
    return [
      { Sid: "ReadDatabaseSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [this.arnIn(region)] },
      {
        Sid: "DecryptDatabaseSecret",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [this.keyArnIn(region)],
        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
      },
    ];
  }
}

const NAME_ALLOWED = "1–242 letters, digits, /, _ or -, starting with a letter (it also names the KMS aliases <name>-primary and <name>-dr)";

/** Ephemeral block names of the secrets in each stack: two names that differ only in the characters turned into _ would share blocks. */
const BLOCK_NAMES = new WeakMap<TerraformStack, Map<string, string>>();

function blockNamesOf(stack: TerraformStack): Map<string, string> {
  const names = BLOCK_NAMES.get(stack) ?? new Map<string, string>();
  BLOCK_NAMES.set(stack, names);
  return names;
}
