import { SecretsAwsAccessKeyId } from "../../modules/policy/rules/secrets/SecretsAwsAccessKeyId";
import { SecretsAwsSecretAccessKey } from "../../modules/policy/rules/secrets/SecretsAwsSecretAccessKey";
import { SecretsNamecheapApiKey } from "../../modules/policy/rules/secrets/SecretsNamecheapApiKey";
import { SecretsPasswordLiteral } from "../../modules/policy/rules/secrets/SecretsPasswordLiteral";
import { renderCloudConfig } from "../../modules/core/cloud-config";
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
