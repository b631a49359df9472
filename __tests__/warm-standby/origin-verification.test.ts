/**
 * OriginVerification (modules/warm-standby/origin-verification.ts), construct level:
 * "A shared secret that proves a request came through CloudFront … The value lives in Secrets
 * Manager and in the Terraform state — never in the synthesized JSON, user data or outputs — and
 * stays the same across plans (the version ignores the new random value each plan reads)."
 */
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ORIGIN_VERIFY_HEADER, OriginVerification, OriginVerificationProps } from "../../modules/warm-standby/origin-verification";
import { TfJson, onlyResourceOf, ref } from "../support/synth";

type Built = { json: TfJson; verification: OriginVerification };

function build(over: Partial<OriginVerificationProps> = {}, withProvider = false): Built {
  const stack = new TerraformStack(Testing.app(), "t");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const provider = withProvider ? new AwsProvider(stack, "primary", { region: "eu-west-1", alias: "primary" }) : undefined;
  const verification = new OriginVerification(stack, "ov", { provider, name: "webplat-dev-stage4", ...over });
  new TerraformOutput(stack, "header_value", { value: verification.headerValue, sensitive: true });
  new TerraformOutput(stack, "secret_arn", { value: verification.secretArn });
  const json = JSON.parse(Testing.synth(stack)) as TfJson;
  return { json, verification };
}

function expectInvalid(name: string): void {
  const stack = new TerraformStack(Testing.app(), "t");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  expect(() => new OriginVerification(stack, "ov", { name })).toThrow(
    `ov.name: ${JSON.stringify(name)} is not allowed; expected a Secrets Manager name prefix of letters, digits and /_+=.@-`,
  );
}

const secret = (json: TfJson) => onlyResourceOf(json, "aws_secretsmanager_secret");
const version = (json: TfJson) => onlyResourceOf(json, "aws_secretsmanager_secret_version");
const randomPasswords = (json: TfJson) => Object.entries(json.data?.aws_secretsmanager_random_password ?? {});

describe("the secret", () => {
  test("named <name>-origin-verify, described, 7-day recovery window", () => {
    const { json } = build();
    expect(secret(json)[1]).toEqual({
      name: "webplat-dev-stage4-origin-verify",
      description: "Header value CloudFront sends to the frontend load balancers (X-Origin-Verify)",
      recovery_window_in_days: 7,
    });
  });

  test("the header is X-Origin-Verify", () => {
    expect(ORIGIN_VERIFY_HEADER).toBe("X-Origin-Verify");
    expect(build().verification.headerName).toBe("X-Origin-Verify");
  });
});

describe("the value (generate, @default true)", () => {
  test("drawn by Secrets Manager (GetRandomPassword): 48 characters, no punctuation (safe in an HTTP header)", () => {
    const { json } = build();
    const drawn = randomPasswords(json);
    expect(drawn).toHaveLength(1);
    expect(drawn[0][1]).toEqual({ password_length: 48, exclude_punctuation: true });
  });

  test("the version writes the drawn value into the secret and ignores the new value each plan reads", () => {
    const { json } = build();
    const [secretName] = secret(json);
    const [randomName] = randomPasswords(json)[0];
    expect(version(json)[1]).toEqual({
      secret_id: ref("aws_secretsmanager_secret", secretName),
      secret_string: `\${data.aws_secretsmanager_random_password.${randomName}.random_password}`,
      lifecycle: { ignore_changes: ["secret_string"] },
    });
  });

  test("generate: true explicitly is the default", () => {
    const explicit = build({ generate: true }).json;
    expect(explicit).toEqual(build().json);
  });

  test("the value itself is never in the synthesized JSON (only references)", () => {
    const text = JSON.stringify(build().json);
    expect(text).not.toMatch(/"secret_string":"(?!\$\{)/);
  });
});

describe("offline stand-in (generate: false)", () => {
  test("no Secrets Manager call: the value is derived from the secret's ARN at apply time, still ignored once written", () => {
    const { json } = build({ generate: false });
    const [secretName] = secret(json);
    expect(json.data).toBeUndefined();
    expect(version(json)[1]).toEqual({
      secret_id: ref("aws_secretsmanager_secret", secretName),
      secret_string: `\${sha256(aws_secretsmanager_secret.${secretName}.arn)}`,
      lifecycle: { ignore_changes: ["secret_string"] },
    });
  });
});

describe("provider", () => {
  test("the given provider holds the secret, draws the value and writes the version", () => {
    const { json } = build({}, true);
    expect(secret(json)[1].provider).toBe("aws.primary");
    expect(version(json)[1].provider).toBe("aws.primary");
    expect(randomPasswords(json)[0][1].provider).toBe("aws.primary");
  });

  test("without one, the stack's default provider (no provider argument written)", () => {
    const { json } = build();
    expect(secret(json)[1]).not.toHaveProperty("provider");
    expect(version(json)[1]).not.toHaveProperty("provider");
    expect(randomPasswords(json)[0][1]).not.toHaveProperty("provider");
  });
});

describe("exposed attributes", () => {
  test("headerValue is the version's secret_string (an apply-time reference), secretArn the secret's ARN", () => {
    const { json } = build();
    const [secretName] = secret(json);
    const [versionName] = version(json);
    expect(json.output?.header_value.value).toBe(ref("aws_secretsmanager_secret_version", versionName, "secret_string"));
    expect(json.output?.secret_arn.value).toBe(ref("aws_secretsmanager_secret", secretName, "arn"));
  });
});

describe("name validation: a Secrets Manager name prefix of 1–480 letters, digits and /_+=.@-", () => {
  test("every allowed character, one character and 480 characters are accepted", () => {
    expect(secret(build({ name: "AZaz09/_+=.@-" }).json)[1].name).toBe("AZaz09/_+=.@--origin-verify");
    expect(secret(build({ name: "a" }).json)[1].name).toBe("a-origin-verify");
    const longest = "n".repeat(480);
    expect(secret(build({ name: longest }).json)[1].name).toBe(`${longest}-origin-verify`);
  });

  test("empty and 481 characters are rejected", () => {
    expectInvalid("");
    expectInvalid("n".repeat(481));
  });

  test("other characters are rejected, wherever they stand", () => {
    for (const bad of ["web plat", "webplat!", "!webplat", "a[b", "a`b", "a{b", "a:b", "a\\b", "a#b"]) expectInvalid(bad);
  });
});
