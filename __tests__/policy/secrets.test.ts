import { SecretsAwsAccessKeyId } from "../../modules/policy/rules/secrets/SecretsAwsAccessKeyId";
import { SecretsAwsSecretAccessKey } from "../../modules/policy/rules/secrets/SecretsAwsSecretAccessKey";
import { SecretsNamecheapApiKey } from "../../modules/policy/rules/secrets/SecretsNamecheapApiKey";
import { SecretsPasswordLiteral } from "../../modules/policy/rules/secrets/SecretsPasswordLiteral";
import { renderCloudConfig } from "../../modules/core/cloud-config";
import { decodeBase64Text } from "../../modules/policy/inspect/strings";
import { describeRules, messages, withSections } from "./fixtures";

// Test values are assembled at runtime so this file itself does not look like it holds secrets.
const ACCESS_KEY_ID = ["AKIA", "IOSFODNN7", "EXAMPLE"].join("");
const SECRET_KEY = ["wJalrXUtnFEMI", "/K7MDENG/bPxRfiCY", "EXAMPLEKEY"].join("");
const NAMECHEAP_KEY = ["0123456789abcdef", "0123456789abcdef"].join("");

const cleanUserData = renderCloudConfig({
  writeFiles: [{ path: "/etc/app.env", content: "DB_PASSWORD=\"$(cat /run/secrets/db)\"\nAPI_URL=https://example.com\n" }],
  runcmd: [["sh", "-c", "export PGPASSWORD=\"${DB_PASSWORD}\""]],
});

const userData = (content: string) => renderCloudConfig({ writeFiles: [{ path: "/etc/app.env", content }] });

describeRules([
  {
    rule: SecretsAwsAccessKeyId,
    compliant: withSections({
      resource: [["aws_instance", "web", { user_data: cleanUserData, tags: { Name: "web" } }]],
      provider: { aws: [{ region: "us-east-1" }] },
    }),
    nonCompliant: withSections({
      resource: [
        ["aws_instance", "env", { user_data: userData(`AWS_ACCESS_KEY_ID=${ACCESS_KEY_ID}\n`) }],
        ["aws_launch_template", "b64", { user_data: Buffer.from(`#!/bin/sh\naws configure set aws_access_key_id ${ACCESS_KEY_ID}\n`).toString("base64") }],
        ["aws_ssm_parameter", "tag", { tags: { key: ACCESS_KEY_ID } }],
        ["aws_instance", "clean", { user_data: cleanUserData }],
      ],
      provider: { aws: [{ region: "us-east-1" }, { alias: "west", region: "us-west-2", access_key: "literal-key-value" }] },
    }),
    failing: ["aws_instance.env", "aws_launch_template.b64", "aws_ssm_parameter.tag", "provider.aws.west"],
    texts: [
      "aws_instance.env: user_data contains an AWS access key id AKIA…(20 chars)",
      "aws_launch_template.b64: user_data (base64-decoded) contains an AWS access key id AKIA…(20 chars)",
      "aws_ssm_parameter.tag: tags.key contains an AWS access key id AKIA…(20 chars)",
      "provider.aws.west: access_key contains a literal access_key lite…(17 chars)",
    ],
  },
  {
    rule: SecretsAwsSecretAccessKey,
    compliant: withSections({
      resource: [["aws_instance", "web", { user_data: cleanUserData }]],
      provider: { aws: [{ region: "us-east-1", secret_key: "${var.secret_key}" }] },
    }),
    nonCompliant: withSections({
      resource: [
        ["aws_instance", "env", { user_data: userData(`AWS_SECRET_ACCESS_KEY=${SECRET_KEY}\n`) }],
        ["aws_instance", "ini", { user_data: userData(`[default]\naws_secret_access_key = ${SECRET_KEY}\n`) }],
        ["aws_instance", "clean", { user_data: cleanUserData }],
      ],
      provider: { aws: [{ region: "us-east-1", secret_key: SECRET_KEY }] },
    }),
    failing: ["aws_instance.env", "aws_instance.ini", "provider.aws"],
    texts: [
      "aws_instance.env: user_data contains an AWS secret access key wJal…(40 chars)",
      "aws_instance.ini: user_data contains an AWS secret access key wJal…(40 chars)",
      "provider.aws: secret_key contains a literal secret_key wJal…(40 chars)",
    ],
  },
  {
    rule: SecretsPasswordLiteral,
    compliant: withSections({
      resource: [
        ["aws_instance", "web", { user_data: cleanUserData }],
        ["aws_db_instance", "db", { manage_master_user_password: true, password: null }],
        ["aws_db_instance", "from_var", { password: "${var.db_password}" }],
        ["aws_db_instance", "write_only", { password_wo: "${jsondecode(ephemeral.aws_secretsmanager_secret_version.db.secret_string).password}", password_wo_version: 1 }],
        ["aws_secretsmanager_secret_version", "write_only", { secret_string_wo: "${jsonencode({password = ephemeral.aws_secretsmanager_random_password.db.random_password})}" }],
        ["aws_instance", "sshd", { user_data: userData("PasswordAuthentication no\n") }],
      ],
    }),
    nonCompliant: withSections({
      resource: [
        ["aws_instance", "shell", { user_data: userData('MYSQL_ROOT_PASSWORD="hunter2hunter2"\n') }],
        ["aws_instance", "ini", { user_data: userData("[security]\nadmin_password = 'grafana-admin'\n") }],
        ["aws_instance", "sql", { user_data: userData("CREATE USER 'app'@'%' IDENTIFIED BY 's3cret-pw';\n") }],
        ["aws_db_instance", "db", { password: "literal-db-pass" }],
        ["aws_db_instance", "write_only", { password_wo: "literal-but-write-only", password_wo_version: 1 }],
        ["aws_secretsmanager_secret_version", "write_only", { secret_string_wo: "{\"password\":\"in-the-json\"}" }],
        ["aws_instance", "clean", { user_data: cleanUserData }],
      ],
    }),
    failing: ["aws_db_instance.db", "aws_db_instance.write_only", "aws_instance.ini", "aws_instance.shell", "aws_instance.sql", "aws_secretsmanager_secret_version.write_only"],
    texts: [
      "aws_db_instance.db: password contains a literal password lite…(15 chars)",
      "aws_db_instance.write_only: password_wo contains a literal password_wo lite…(22 chars)",
      "aws_instance.ini: user_data contains a literal password graf…(13 chars)",
      "aws_instance.shell: user_data contains a literal password hunt…(14 chars)",
      "aws_instance.sql: user_data contains a literal password s3cr…(9 chars)",
      "aws_secretsmanager_secret_version.write_only: secret_string_wo contains a literal password in-t…(11 chars)",
    ],
  },
  {
    rule: SecretsNamecheapApiKey,
    compliant: withSections({
      resource: [["namecheap_domain_records", "site", { domain: "example.com", mode: "MERGE", record: [{ hostname: "@", type: "A", address: "${aws_eip.web.public_ip}" }] }]],
      provider: { namecheap: [{ user_name: "acme", api_user: "acme" }] },
    }),
    nonCompliant: withSections({
      resource: [
        ["aws_instance", "env", { user_data: userData(`NAMECHEAP_API_KEY=${NAMECHEAP_KEY}\n`) }],
        ["aws_instance", "url", { user_data: userData(`curl "https://api.namecheap.com/xml.response?ApiUser=acme&ApiKey=${NAMECHEAP_KEY}&Command=x"\n`) }],
        ["namecheap_domain_records", "site", { domain: "example.com" }],
      ],
      provider: { namecheap: [{ user_name: "acme", api_user: "acme", api_key: "short-but-literal" }] },
    }),
    failing: ["aws_instance.env", "aws_instance.url", "provider.namecheap"],
    texts: [
      "aws_instance.env: user_data contains a Namecheap API key 0123…(32 chars)",
      "aws_instance.url: user_data contains a Namecheap API key 0123…(32 chars)",
      "provider.namecheap: api_key contains a literal api_key shor…(17 chars)",
    ],
  },
]);

test("secret findings never repeat the secret", () => {
  const doc = withSections({ resource: [["aws_instance", "i", { user_data: userData(`AWS_SECRET_ACCESS_KEY=${SECRET_KEY}\n`) }]] });
  const [message] = messages(SecretsAwsSecretAccessKey, doc);
  expect(message).toMatch(/^user_data contains an AWS secret access key wJal…\(40 chars\)$/);
  expect(message).not.toContain(SECRET_KEY);
});

test("scanning stays linear: 1000 hosts with 16 KiB user data each are checked in seconds, not minutes", () => {
  const big = userData("x".repeat(16 * 1024 - 200));
  const entries = Array.from({ length: 1000 }, (_, i) => ["aws_instance", `i${i}`, { user_data: big }] as [string, string, Record<string, unknown>]);
  const doc = withSections({ resource: entries });
  const started = Date.now();
  for (const rule of [SecretsAwsAccessKeyId, SecretsAwsSecretAccessKey, SecretsPasswordLiteral, SecretsNamecheapApiKey]) {
    expect(messages(rule, doc)).toEqual([]);
  }
  // a quadratic regex took > 5 s for 2 KiB strings; linear scanning of 16 MiB takes well under a second here
  expect(Date.now() - started).toBeLessThan(10000);
}, 60000);

describe("where secrets are looked for, and what the findings say", () => {
  const res = (type: string, config: Record<string, unknown>) => withSections({ resource: [[type, "r", config]] });

  test("access key ids: AKIA and ASIA, not inside a longer token; a literal access_key only in an aws provider", () => {
    const temporary = ["ASIA", "IOSFODNN7", "EXAMPLE"].join("");
    expect(messages(SecretsAwsAccessKeyId, res("aws_instance", { tags: { a: ACCESS_KEY_ID, b: `x ${temporary}` } }))).toEqual([
      "tags.a contains an AWS access key id AKIA…(20 chars); tags.b contains an AWS access key id ASIA…(20 chars)",
    ]);
    expect(messages(SecretsAwsAccessKeyId, res("aws_instance", { tags: { a: `X${ACCESS_KEY_ID}`, b: `${ACCESS_KEY_ID}9`, access_key: "literal-not-a-provider" } }))).toEqual([]);
    const provider = (config: Record<string, unknown>, name = "aws") => withSections({ provider: { [name]: [config] } });
    expect(messages(SecretsAwsAccessKeyId, provider({ access_key: ACCESS_KEY_ID }))).toEqual(["access_key contains an AWS access key id AKIA…(20 chars)"]);
    expect(messages(SecretsAwsAccessKeyId, provider({ access_key: "some-literal" }))).toEqual(["access_key contains a literal access_key some…(12 chars)"]);
    expect(messages(SecretsAwsAccessKeyId, provider({ access_key: "some-literal" }, "other"))).toEqual([]);
    for (const notLiteral of ["${var.key}", "$${KEY}", "  ", ""]) expect(messages(SecretsAwsAccessKeyId, provider({ access_key: notLiteral }))).toEqual([]);
  });

  test("secret access keys: each attribute name, assignments in any spelling, and the literal attribute texts", () => {
    for (const key of ["secret_key", "aws_secret_access_key", "secret_access_key"]) {
      expect(messages(SecretsAwsSecretAccessKey, res("x_thing", { [key]: "lit-value" }))).toEqual([`${key} contains a literal ${key} lit-…(9 chars)`]);
    }
    expect(messages(SecretsAwsSecretAccessKey, res("x_thing", { secret_key: "${var.k}", other_key: "lit" }))).toEqual([]);
    const script = `export AWS_SECRET_ACCESS_KEY="${SECRET_KEY}"\naws_secret_access_key: ${SECRET_KEY}`;
    expect(messages(SecretsAwsSecretAccessKey, res("x_thing", { script, again: `awssecretaccesskey=${SECRET_KEY}` }))).toEqual([
      "script contains an AWS secret access key wJal…(40 chars); again contains an AWS secret access key wJal…(40 chars)",
    ]);
    expect(messages(SecretsAwsSecretAccessKey, res("x_thing", { script: `AWS_SECRET_ACCESS_KEY=${SECRET_KEY}X` }))).toEqual([]);
  });

  test("Namecheap keys: assignments, API URLs and a literal api_key of a namecheap resource", () => {
    expect(messages(SecretsNamecheapApiKey, res("x_thing", { a: `namecheap-apikey: ${NAMECHEAP_KEY}`.replace("-", "_"), b: `https://x/?ApiKey=${NAMECHEAP_KEY}` }))).toEqual([
      "a contains a Namecheap API key 0123…(32 chars); b contains a Namecheap API key 0123…(32 chars)",
    ]);
    expect(messages(SecretsNamecheapApiKey, res("namecheap_domain_records", { api_key: "lit-key" }))).toEqual(["api_key contains a literal api_key lit-…(7 chars)"]);
    expect(messages(SecretsNamecheapApiKey, res("aws_instance", { api_key: "lit-key", b: "https://x/?ApiKey=short" }))).toEqual([]);
  });

  test("passwords: every password-like attribute name, and only those", () => {
    for (const key of ["password", "master_password", "passwd", "password_wo", "auth_token", "secret_string_wo"]) {
      expect([key, messages(SecretsPasswordLiteral, res("x_thing", { [key]: "lit" }))]).toEqual([key, [`${key} contains a literal ${key} ****`]]);
    }
    for (const key of ["mypassword", "password_version", "auth_token_x", "secret_string"]) {
      expect([key, messages(SecretsPasswordLiteral, res("x_thing", { [key]: "lit" }))]).toEqual([key, []]);
    }
  });

  test("passwords: quoted assignments in any notation and SQL IDENTIFIED [WITH plugin] BY, never $-expansions", () => {
    const text = [`pwd: "abc123"`, `DB_PASSWD='letmein'`, `{\\"password\\": \\"escaped1\\"}`, `IDENTIFIED WITH mysql_native_password BY 'sqlpw1'`, `password="$DB_PASSWORD"`, `IDENTIFIED BY '$(cat pw)'`].join("\n");
    expect(messages(SecretsPasswordLiteral, res("x_thing", { script: text }))).toEqual([
      "script contains a literal password abc1…(6 chars); script contains a literal password letm…(7 chars); script contains a literal password esca…(8 chars); script contains a literal password sqlp…(6 chars)",
    ]);
  });

  test("strings are found in nested blocks and lists by path, in data sources, never in cdktf metadata; one finding per place", () => {
    const doc = withSections({
      resource: [["x_thing", "r", { "//": { note: `password="in-metadata"` }, outer: { inner: [{ Password: "lit" }] }, twice: `password="same-one" password="same-one"` }]],
      data: [["x_data", "d", { query: `password="from-data"` }]],
    });
    expect(messages(SecretsPasswordLiteral, doc)).toEqual([
      "outer.inner[0].Password contains a literal password ****; twice contains a literal password same…(8 chars)",
      "query contains a literal password from…(9 chars)",
    ]);
  });

  test("base64 user data is scanned decoded; short, unpadded or binary base64 is not decoded", () => {
    const encoded = Buffer.from(`#!/bin/sh\nexport PGPASSWORD="decoded-secret"\n`).toString("base64");
    expect(messages(SecretsPasswordLiteral, res("aws_instance", { user_data_base64: encoded }))).toEqual(["user_data_base64 (base64-decoded) contains a literal password deco…(14 chars)"]);
    expect(messages(SecretsPasswordLiteral, res("aws_instance", { user_data: `${encoded.slice(0, 20)}\n${encoded.slice(20)}` }))).toHaveLength(1);
    expect(decodeBase64Text(Buffer.from("password='abc1'").toString("base64").slice(0, 12))).toBeUndefined();
    expect(decodeBase64Text("QUJDREVGR0hJSktMTU5PUA")).toBeUndefined();
    expect(decodeBase64Text("QUJDREVGR0hJSktMTU5PUA==")).toBe("ABCDEFGHIJKLMNOP");
    expect(decodeBase64Text("QUJDREVGR0hJSktM")).toBe("ABCDEFGHIJKL");
    expect(decodeBase64Text("QUJDREVGR0g=")).toBeUndefined();
    // one control character in eleven is too many for text (95 % must be printable); one in twenty is just enough
    expect(decodeBase64Text(Buffer.from("ABCDEFGHIJKLMNOPQRS\x01").toString("base64"))).toBe("ABCDEFGHIJKLMNOPQRS\x01");
    expect(decodeBase64Text(Buffer.from("ABCDEFGHIJKLMNOPQRST\x01\x02").toString("base64"))).toBeUndefined();
    expect(decodeBase64Text(Buffer.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrs\x01").toString("base64"))).toBe("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrs\x01");
    expect(decodeBase64Text("QUJDREVGR0hJSktMTU5PUA=*")).toBeUndefined();
    expect(decodeBase64Text(Buffer.from(Array.from({ length: 24 }, (_, i) => i)).toString("base64"))).toBeUndefined();
    expect(decodeBase64Text(Buffer.from([0xff, 0xfe, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a]).toString("base64"))).toBeUndefined();
  });
});
