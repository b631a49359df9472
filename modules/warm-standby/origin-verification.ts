import { Construct } from "constructs";
import { Fn, TerraformProvider } from "cdktf";
import { DataAwsSecretsmanagerRandomPassword } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-random-password";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { check } from "../core/validation";

/** The header CloudFront adds to every origin request; the frontend load balancers forward only requests that carry it. */
export const ORIGIN_VERIFY_HEADER = "X-Origin-Verify";

export interface OriginVerificationProps {
  /** AWS provider of the region holding the secret. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Secret name prefix, e.g. "webplat-dev-stage4". */
  readonly name: string;
  /**
   * Draw the value from Secrets Manager (GetRandomPassword) at the first plan.
   * false derives a stand-in at apply time and exists for offline plans only,
   * which make no API call; such a stack is never deployed.
   * @default true
   */
  readonly generate?: boolean;
}

/**
 * A shared secret that proves a request came through CloudFront: CloudFront
 * sends it as the X-Origin-Verify header, the frontend load balancers forward
 * only requests that carry it. The value lives in Secrets Manager and in the
 * Terraform state — never in the synthesized JSON, user data or outputs — and
 * stays the same across plans (the version ignores the new random value each
 * plan reads). Rotate: `terraform apply -replace=<version address>`.
 */
export class OriginVerification extends Construct {
  readonly headerName = ORIGIN_VERIFY_HEADER;
  /** The header value (an apply-time reference, sensitive in plans). */
  readonly headerValue: string;
  readonly secretArn: string;

  constructor(scope: Construct, id: string, props: OriginVerificationProps) {
    super(scope, id);
    check(/^[A-Za-z0-9/_+=.@-]{1,480}$/.test(props.name), `${id}.name`, props.name, "a Secrets Manager name prefix of letters, digits and /_+=.@-");
    const provider = props.provider;
    const secret = new SecretsmanagerSecret(this, "secret", {
      provider,
      name: `${props.name}-origin-verify`,
      description: "Header value CloudFront sends to the frontend load balancers (X-Origin-Verify)",
      recoveryWindowInDays: 7,
    });
    const drawn =
      props.generate ?? true
        ? new DataAwsSecretsmanagerRandomPassword(this, "random", { provider, passwordLength: 48, excludePunctuation: true }).randomPassword
        : Fn.sha256(secret.arn);
    const version = new SecretsmanagerSecretVersion(this, "value", {
      provider,
      secretId: secret.id,
      secretString: drawn,
      // A data source draws anew at every plan: keep the first value.
      lifecycle: { ignoreChanges: ["secret_string"] },
    });
    this.headerValue = version.secretString;
    this.secretArn = secret.arn;
  }
}
