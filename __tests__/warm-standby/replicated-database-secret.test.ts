/**
 * ReplicatedDatabaseSecret: "The database master credentials as one Secrets Manager secret in the primary
 * region with a replica in the DR region, each copy encrypted with a customer managed key of its own region.
 * The password exists only in Secrets Manager and RDS: Secrets Manager generates it (ephemeral
 * `aws_secretsmanager_random_password`), Terraform writes it with write-only arguments (`secret_string_wo`, and
 * the database's `password_wo` read back from the secret), so it is in no JSON, plan or state."
 */
import { Fn } from "cdktf";
import { InvalidInputError } from "../../modules/core/validation";
import { ReplicatedDatabaseSecret, ReplicatedDatabaseSecretProps } from "../../modules/warm-standby/replicated-database-secret";
import { invalidInputOf } from "../support/invalid-input";
import { DataJson, inventory, outputsOf, refTo, resourceNamed, synth, twoRegionStack } from "./data-support";

type Options = Partial<Omit<ReplicatedDatabaseSecretProps, "primary" | "dr">> & { primaryRegion?: string; drRegion?: string; primaryProvider?: boolean };

function build(options: Options = {}): { json: DataJson; secret: ReplicatedDatabaseSecret } {
  const { stack, primary, dr } = twoRegionStack();
  const { primaryRegion = "us-east-1", drRegion = "us-west-2", primaryProvider = true, ...props } = options;
  const secret = new ReplicatedDatabaseSecret(stack, "secret", {
    name: "acme/db-master",
    primary: { region: primaryRegion, ...(primaryProvider ? { provider: primary } : {}) },
    dr: { region: drRegion, provider: dr },
    ...props,
  });
  const json = synth(stack, {
    primaryArn: secret.primaryArn,
    drArn: secret.drArn,
    masterPassword: secret.masterPassword,
    arnInPrimary: secret.arnIn(primaryRegion),
    arnInDr: secret.arnIn(drRegion),
    keyInPrimary: secret.keyArnIn(primaryRegion),
    keyInDr: secret.keyArnIn(drRegion),
    readPrimary: secret.readStatements(primaryRegion),
    readDr: secret.readStatements(drRegion),
  });
  return { json, secret };
}

function errorOf(options: Options): InvalidInputError {
  return invalidInputOf(() => build(options));
}

const SECRET = "aws_secretsmanager_secret";
const VERSION = "aws_secretsmanager_secret_version";
const secretOf = (json: DataJson) => resourceNamed(json, SECRET, "secret");
const drArnLocal = (json: DataJson) => {
  const names = Object.keys(json.locals ?? {});
  expect(names).toHaveLength(1);
  return names[0];
};

describe("the secret and its replica", () => {
  test("one secret in the primary region encrypted with the primary key, a replica in the DR region encrypted with the DR key, 30 days to restore", () => {
    const { json } = build();
    expect(inventory(json)).toEqual({ aws_kms_key: 2, aws_kms_alias: 2, [SECRET]: 1, [VERSION]: 1 });
    expect(secretOf(json)).toEqual({
      provider: "aws.primary",
      name: "acme/db-master",
      description: "Master credentials of the database (dbadmin); replicated to us-west-2 for the DR tier",
      kms_key_id: refTo(json, "aws_kms_key", "secret_primary-key", "arn"),
      replica: [{ region: "us-west-2", kms_key_id: refTo(json, "aws_kms_key", "secret_dr-key", "arn") }],
      recovery_window_in_days: 30,
      tags: { Name: "acme/db-master" },
    });
  });

  test("a customer managed key per region: `<name>-primary` with the primary's provider, `<name>-dr` with the DR's", () => {
    const { json } = build();
    expect(resourceNamed(json, "aws_kms_key", "secret_primary-key")).toMatchObject({ provider: "aws.primary", description: "Database master secret acme/db-master (us-east-1)", enable_key_rotation: true });
    expect(resourceNamed(json, "aws_kms_alias", "secret_primary-key_alias")).toEqual({
      provider: "aws.primary",
      name: "alias/acme/db-master-primary",
      target_key_id: refTo(json, "aws_kms_key", "secret_primary-key", "key_id"),
    });
    expect(resourceNamed(json, "aws_kms_key", "secret_dr-key")).toMatchObject({ provider: "aws.dr", description: "Database master secret acme/db-master (us-west-2)", enable_key_rotation: true });
    expect(resourceNamed(json, "aws_kms_alias", "secret_dr-key_alias")).toEqual({
      provider: "aws.dr",
      name: "alias/acme/db-master-dr",
      target_key_id: refTo(json, "aws_kms_key", "secret_dr-key", "key_id"),
    });
  });

  test("the value is written write-only: {username, password} from the ephemeral generator, version 1 by default", () => {
    const { json } = build();
    expect(resourceNamed(json, VERSION, "secret_value")).toEqual({
      provider: "aws.primary",
      secret_id: refTo(json, SECRET, "secret", "id"),
      secret_string_wo: '${jsonencode({username = "dbadmin", password = ephemeral.aws_secretsmanager_random_password.acme_db_master.random_password})}',
      secret_string_wo_version: 1,
    });
  });

  test("no password in the JSON: nothing but write-only and ephemeral arguments carry it", () => {
    const text = JSON.stringify(build().json);
    expect(text).not.toMatch(/"(secret_string|password|random_password|master_password)"\s*:/);
  });

  test("Secrets Manager generates the password (ephemeral): 32 characters, no punctuation, every included type, deferred to apply until the secret exists", () => {
    const { json } = build();
    expect(json.ephemeral?.aws_secretsmanager_random_password).toEqual({
      acme_db_master: {
        provider: "aws.primary",
        password_length: 32,
        exclude_punctuation: true,
        require_each_included_type: true,
        exclude_characters: `\${substr(${refTo(json, SECRET, "secret", "arn").slice(2, -1)}, 0, 0)}`,
      },
    });
  });

  test("the database's password is read back from the secret (ephemeral), after the version is written", () => {
    const { json } = build();
    const versionName = Object.keys(json.resource![VERSION])[0];
    expect(json.ephemeral?.aws_secretsmanager_secret_version).toEqual({
      acme_db_master: { provider: "aws.primary", secret_id: refTo(json, SECRET, "secret", "id"), depends_on: [`${VERSION}.${versionName}`] },
    });
  });

  test("without a primary provider the secret, its version and the ephemeral blocks use the stack's default AWS provider", () => {
    const { json } = build({ primaryProvider: false });
    expect(secretOf(json)).not.toHaveProperty("provider");
    expect(resourceNamed(json, VERSION, "secret_value")).not.toHaveProperty("provider");
    expect(resourceNamed(json, "aws_kms_key", "secret_primary-key")).not.toHaveProperty("provider");
    expect(json.ephemeral?.aws_secretsmanager_random_password.acme_db_master).not.toHaveProperty("provider");
    expect(json.ephemeral?.aws_secretsmanager_secret_version.acme_db_master).not.toHaveProperty("provider");
  });

  test("the ephemeral blocks are named after the secret with every character outside letters, digits and _ replaced by _", () => {
    const { json } = build({ name: "Acme_9/db-master" });
    expect(Object.keys(json.ephemeral?.aws_secretsmanager_random_password ?? {})).toEqual(["Acme_9_db_master"]);
    expect(Object.keys(json.ephemeral?.aws_secretsmanager_secret_version ?? {})).toEqual(["Acme_9_db_master"]);
  });
});

describe("props", () => {
  test('username (default "dbadmin") is stored next to the password and named in the description', () => {
    const { json, secret } = build({ username: "app_admin" });
    expect(secret.username).toBe("app_admin");
    expect(secretOf(json).description).toBe("Master credentials of the database (app_admin); replicated to us-west-2 for the DR tier");
    expect(resourceNamed(json, VERSION, "secret_value").secret_string_wo).toBe(
      '${jsonencode({username = "app_admin", password = ephemeral.aws_secretsmanager_random_password.acme_db_master.random_password})}',
    );
    expect(build().secret.username).toBe("dbadmin");
  });

  test("bump passwordVersion to rotate: the secret's version and the database's password version follow it", () => {
    const { json, secret } = build({ passwordVersion: 2 });
    expect(resourceNamed(json, VERSION, "secret_value").secret_string_wo_version).toBe(2);
    expect(secret.masterPassword.version).toBe(2);
  });

  test("recoveryWindowDays sets how long a deleted secret can be restored", () => {
    expect(secretOf(build({ recoveryWindowDays: 7 }).json).recovery_window_in_days).toBe(7);
  });
});

describe("typed attributes", () => {
  test("regions, the primary ARN, and the DR ARN: the primary's with the DR region (a local, a plain reference)", () => {
    const { json, secret } = build();
    expect([secret.primaryRegion, secret.drRegion]).toEqual(["us-east-1", "us-west-2"]);
    const local = drArnLocal(json);
    expect(json.locals?.[local]).toBe(`\${replace(${refTo(json, SECRET, "secret", "arn").slice(2, -1)}, ":us-east-1:", ":us-west-2:")}`);
    const o = outputsOf(json);
    expect(o.primaryArn).toBe(refTo(json, SECRET, "secret", "arn"));
    expect(o.drArn).toBe(`\${local.${local}}`);
  });

  test("masterPassword: the primary secret's ARN, the ephemeral read-back as a write-only expression, and the version", () => {
    const { json } = build();
    expect(outputsOf(json).masterPassword).toEqual({
      secretArn: refTo(json, SECRET, "secret", "arn"),
      writeOnly: "${jsondecode(ephemeral.aws_secretsmanager_secret_version.acme_db_master.secret_string).password}",
      version: 1,
    });
  });

  test("arnIn / keyArnIn: the copy and the key of the region asked for", () => {
    const { json } = build();
    const o = outputsOf(json);
    expect([o.arnInPrimary, o.arnInDr]).toEqual([refTo(json, SECRET, "secret", "arn"), `\${local.${drArnLocal(json)}}`]);
    expect([o.keyInPrimary, o.keyInDr]).toEqual([refTo(json, "aws_kms_key", "secret_primary-key", "arn"), refTo(json, "aws_kms_key", "secret_dr-key", "arn")]);
  });

  test("readStatements(region): GetSecretValue on that region's copy and kms:Decrypt with that region's key through Secrets Manager only", () => {
    const { json } = build();
    const o = outputsOf(json);
    expect(o.readPrimary).toEqual([
      { Sid: "ReadDatabaseSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [refTo(json, SECRET, "secret", "arn")] },
      {
        Sid: "DecryptDatabaseSecret",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [refTo(json, "aws_kms_key", "secret_primary-key", "arn")],
        Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
      },
    ]);
    expect(o.readDr).toEqual([
      { Sid: "ReadDatabaseSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [`\${local.${drArnLocal(json)}}`] },
      {
        Sid: "DecryptDatabaseSecret",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [refTo(json, "aws_kms_key", "secret_dr-key", "arn")],
        Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-west-2.amazonaws.com" } },
      },
    ]);
  });

  test.each([
    ["arnIn", (s: ReplicatedDatabaseSecret) => s.arnIn("eu-west-1")],
    ["keyArnIn", (s: ReplicatedDatabaseSecret) => s.keyArnIn("eu-west-1")],
    ["arnIn", (s: ReplicatedDatabaseSecret) => s.readStatements("eu-west-1")],
  ])("a region that holds no copy is refused by %s, naming both that do", (method, call) => {
    const { stack } = twoRegionStack();
    const secret = new ReplicatedDatabaseSecret(stack, "secret", { name: "acme-db", primary: { region: "us-east-1" }, dr: { region: "us-west-2" } });
    expect(invalidInputOf(() => call(secret)).message).toBe(`ReplicatedDatabaseSecret.${method}: "eu-west-1" is not allowed; expected us-east-1 or us-west-2`);
  });
});

describe("validation", () => {
  test("the DR region must differ from the primary", () => {
    expect(errorOf({ drRegion: "us-east-1" }).message).toBe('secret.dr.region: "us-east-1" is not allowed; expected a region other than the primary (us-east-1)');
  });

  test.each([
    ["primaryRegion", "secret.primary.region"],
    ["drRegion", "secret.dr.region"],
  ])("a %s known only at apply time is refused", (option, field) => {
    expect(errorOf({ [option]: Fn.lower("US-EAST-2") }).message).toBe(`${field}: "<unresolved token>" is not allowed; expected a concrete value known at synth time (not a resource attribute)`);
  });

  describe("name: 1–242 letters, digits, /, _ or -, starting with a letter", () => {
    const nameError = (name: string) =>
      `secret.name: ${JSON.stringify(name)} is not allowed; expected 1–242 letters, digits, /, _ or -, starting with a letter (it also names the KMS aliases <name>-primary and <name>-dr)`;
    test.each(["a", "Acme/db_master-9", "a".repeat(242)])("%p is accepted", (name) => {
      expect(secretOf(build({ name }).json).name).toBe(name);
    });
    // "+=.@" are valid in a secret name but not in the KMS alias built from it; a leading digit or _ gives an ephemeral block
    // name terraform validate refuses ("must start with a letter or underscore" — and a leading _ is refused for aliases' sake).
    test.each(["", "a".repeat(243), "acme db", "acme#db", "acme:db", "acme\n", "a+b", "a=b", "a.b", "a@b", "2024-db-master", "_db", "/db", "-db"])(
      "%p is refused, naming the field, the value and what is allowed", (name) => {
        expect(errorOf({ name }).message).toBe(nameError(name));
      });
    test("two secrets of one stack whose names give the same Terraform block name are refused (one database would get the other's password)", () => {
      const { stack, primary, dr } = twoRegionStack();
      const regions = { primary: { region: "us-east-1", provider: primary }, dr: { region: "us-west-2", provider: dr } };
      new ReplicatedDatabaseSecret(stack, "one", { name: "acme/db", ...regions });
      const error = invalidInputOf(() => new ReplicatedDatabaseSecret(stack, "two", { name: "acme-db", ...regions }));
      expect(error.message).toBe('two.name: "acme-db" is not allowed; expected a name whose Terraform block name (acme_db) differs from that of acme/db in this stack');
    });
  });

  describe("username: 1–16 letters, digits or underscores starting with a letter, not a name RDS reserves (the database refuses the same)", () => {
    const allowed = "1–16 letters, digits or underscores starting with a letter, not a reserved name (admin, root, postgres, rdsadmin, mysql)";
    test.each(["a", "Z", "a_1", `a${"b".repeat(15)}`, "admin1", "rootuser"])("%p is accepted", (username) => {
      expect(build({ username }).secret.username).toBe(username);
    });
    test.each(["", "1admin", "_admin", `a${"b".repeat(16)}`, "db-admin", "db admin", "db.admin", "dbadmin\n", "admin", "Admin", "ROOT", "postgres", "rdsadmin", "MySQL"])("%p is refused, naming the field, the value and what is allowed", (username) => {
      expect(errorOf({ username }).message).toBe(`secret.username: ${JSON.stringify(username)} is not allowed; expected ${allowed}`);
    });
  });

  describe("passwordVersion: an integer from 1", () => {
    test.each([1, 1000])("%p is accepted", (passwordVersion) => {
      expect(build({ passwordVersion }).secret.masterPassword.version).toBe(passwordVersion);
    });
    test.each([0, -1, 1.5])("%p is refused, naming the field, the value and what is allowed", (passwordVersion) => {
      expect(errorOf({ passwordVersion }).message).toBe(`secret.passwordVersion: ${passwordVersion} is not allowed; expected an integer from 1 (bump it to rotate the password)`);
    });
  });

  describe("recoveryWindowDays: an integer from 7 to 30, default 30", () => {
    test.each([7, 8, 30])("%p is accepted", (recoveryWindowDays) => {
      expect(secretOf(build({ recoveryWindowDays }).json).recovery_window_in_days).toBe(recoveryWindowDays);
    });
    test.each([6, 31, 7.5])("%p is refused, naming the field, the value and what is allowed", (recoveryWindowDays) => {
      expect(errorOf({ recoveryWindowDays }).message).toBe(`secret.recoveryWindowDays: ${recoveryWindowDays} is not allowed; expected an integer from 7 to 30`);
    });
  });
});
