/**
 * AccessLogBucket (modules/warm-standby/access-log-bucket.ts): "private, versioned, SSE-S3, TLS-only log
 * bucket with the ELB log-delivery policy (or ACL-based CloudFront delivery)" (module README).
 * Each test synthesizes its own tiny stack.
 */
import { TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { AccessLogBucket, AccessLogBucketProps, ELB_LOG_ACCOUNTS, LogWriter } from "../../modules/warm-standby/access-log-bucket";
import { Res, aliasedProvider, inputError, newStack, only, refOf, resourceCounts, synth } from "./edge-b-support";

const BUCKET = "aws_s3_bucket";

function build(stack: TerraformStack, props: Partial<AccessLogBucketProps> = {}): AccessLogBucket {
  return new AccessLogBucket(stack, "logs", { region: "us-east-1", namePrefix: "acme-alb-logs-", writer: LogWriter.LOAD_BALANCER, ...props });
}

/** The bucket policy's statements, with the bucket's ARN written as "<arn>". */
function statements(props: Partial<AccessLogBucketProps> = {}): Res[] {
  const stack = newStack();
  build(stack, props);
  const json = synth(stack);
  const arn = refOf(json, BUCKET, "arn");
  const policy = JSON.parse(only(json, "aws_s3_bucket_policy").policy);
  expect(policy.Version).toBe("2012-10-17");
  return JSON.parse(JSON.stringify(policy.Statement).split(arn).join("<arn>"));
}

const DENY_INSECURE = {
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: { AWS: "*" },
  Action: "s3:*",
  Resource: ["<arn>", "<arn>/*"],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const elbService = (prefix: string) => ({
  Sid: "ElbLogDelivery",
  Effect: "Allow",
  Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
  Action: "s3:PutObject",
  Resource: `<arn>/${prefix}/*`,
});
const elbAccount = (account: string, prefix: string, partition = "aws") => ({
  Sid: "ElbLogAccount",
  Effect: "Allow",
  Principal: { AWS: `arn:${partition}:iam::${account}:root` },
  Action: "s3:PutObject",
  Resource: `<arn>/${prefix}/*`,
});

function message(props: Partial<AccessLogBucketProps>): string {
  return inputError(() => build(newStack(), props)).message;
}
function accepts(props: Partial<AccessLogBucketProps>): void {
  const stack = newStack();
  build(stack, props);
  expect(only(synth(stack), BUCKET)).toBeDefined();
}

describe("the bucket and its settings", () => {
  test("a bucket_prefix bucket (Terraform appends a unique suffix), never force-destroyed, tagged with its name and purpose", () => {
    const stack = newStack();
    build(stack);
    const json = synth(stack);
    expect(only(json, BUCKET)).toEqual({ bucket_prefix: "acme-alb-logs-", force_destroy: false, tags: { Name: "acme-alb-logs-", Purpose: "load-balancer access logs" } });
    expect(resourceCounts(json)).toEqual({
      aws_s3_bucket: 1,
      aws_s3_bucket_public_access_block: 1,
      aws_s3_bucket_ownership_controls: 1,
      aws_s3_bucket_server_side_encryption_configuration: 1,
      aws_s3_bucket_versioning: 1,
      aws_s3_bucket_lifecycle_configuration: 1,
      aws_s3_bucket_policy: 1,
    });
  });

  test("private: all four public-access blocks are on", () => {
    const stack = newStack();
    build(stack);
    const json = synth(stack);
    expect(only(json, "aws_s3_bucket_public_access_block")).toEqual({
      bucket: refOf(json, BUCKET, "id"),
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test("encrypted with SSE-S3 (AES256, bucket key on): ELB log delivery supports no KMS key", () => {
    const stack = newStack();
    build(stack);
    const json = synth(stack);
    expect(only(json, "aws_s3_bucket_server_side_encryption_configuration")).toEqual({
      bucket: refOf(json, BUCKET, "id"),
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" }, bucket_key_enabled: true }],
    });
  });

  test("versioned", () => {
    const stack = newStack();
    build(stack);
    const json = synth(stack);
    expect(only(json, "aws_s3_bucket_versioning")).toEqual({ bucket: refOf(json, BUCKET, "id"), versioning_configuration: { status: "Enabled" } });
  });

  test("lifecycle: every object expires after 90 days by default, noncurrent versions after 30, unfinished uploads are aborted after 7", () => {
    const stack = newStack();
    build(stack);
    const json = synth(stack);
    expect(only(json, "aws_s3_bucket_lifecycle_configuration")).toEqual({
      bucket: refOf(json, BUCKET, "id"),
      rule: [
        {
          id: "expire-logs",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days: 90 }],
          noncurrent_version_expiration: [{ noncurrent_days: 30 }],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
        },
      ],
    });
  });

  test("expireAfterDays sets the expiration of log objects", () => {
    const stack = newStack();
    build(stack, { expireAfterDays: 400 });
    expect(only(synth(stack), "aws_s3_bucket_lifecycle_configuration").rule[0].expiration).toEqual([{ days: 400 }]);
  });

  test("load balancer logs: object ownership BucketOwnerEnforced (ACLs off)", () => {
    const stack = newStack();
    build(stack);
    const json = synth(stack);
    expect(only(json, "aws_s3_bucket_ownership_controls")).toEqual({ bucket: refOf(json, BUCKET, "id"), rule: { object_ownership: "BucketOwnerEnforced" } });
  });

  test("CloudFront standard logs are delivered through bucket ACLs, so object ownership is BucketOwnerPreferred; the tag names the writer", () => {
    const stack = newStack();
    build(stack, { writer: LogWriter.CLOUDFRONT, namePrefix: "acme-cf-logs-" });
    const json = synth(stack);
    expect(only(json, "aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerPreferred" });
    expect(only(json, BUCKET).tags).toEqual({ Name: "acme-cf-logs-", Purpose: "cloudfront access logs" });
  });

  test("every resource uses the given provider (load balancers log only to a bucket in their own region)", () => {
    const stack = newStack();
    build(stack, { provider: aliasedProvider(stack, "west", "us-west-2"), region: "us-west-2" });
    const json = synth(stack);
    const providers = Object.values(json.resource ?? {}).flatMap((byName) => Object.values(byName).map((r) => r.provider));
    expect(providers).toEqual(Array(7).fill("aws.west"));
  });
});

describe("bucket policy: TLS-only, writable only by the log service", () => {
  test("load balancer in us-east-1: deny non-TLS, allow the ELB log-delivery service and the region's ELB account to put objects under the log prefix", () => {
    expect(statements()).toEqual([DENY_INSECURE, elbService("logs"), elbAccount("127311923021", "logs")]);
  });

  test("the ELB account follows the region (eu-west-1 → 156460612806)", () => {
    expect(statements({ region: "eu-west-1" })).toEqual([DENY_INSECURE, elbService("logs"), elbAccount("156460612806", "logs")]);
  });

  test("in GovCloud the ELB account is named in its own partition (us-gov-west-1 → arn:aws-us-gov:iam::048591011584:root)", () => {
    expect(statements({ region: "us-gov-west-1" })).toEqual([DENY_INSECURE, elbService("logs"), elbAccount("048591011584", "logs", "aws-us-gov")]);
  });

  test("regions opened after August 2022 (no ELB account) accept only the log delivery service principal", () => {
    expect(statements({ region: "ap-south-2" })).toEqual([DENY_INSECURE, elbService("logs")]);
  });

  test("the write grants cover the configured log prefix", () => {
    expect(statements({ logPrefix: "alb/frontend" })).toEqual([DENY_INSECURE, elbService("alb/frontend"), elbAccount("127311923021", "alb/frontend")]);
  });

  test("CloudFront logs: only the TLS-only deny (delivery goes through ACLs, no ELB grants)", () => {
    expect(statements({ writer: LogWriter.CLOUDFRONT })).toEqual([DENY_INSECURE]);
  });

  test("ELB_LOG_ACCOUNTS is AWS's documented list of Elastic Load Balancing log accounts (regions opened before August 2022)", () => {
    expect(ELB_LOG_ACCOUNTS).toEqual({
      "us-east-1": "127311923021",
      "us-east-2": "033677994240",
      "us-west-1": "027434742980",
      "us-west-2": "797873946194",
      "af-south-1": "098369216593",
      "ap-east-1": "754344448648",
      "ap-south-1": "718504428378",
      "ap-northeast-1": "582318560864",
      "ap-northeast-2": "600734575887",
      "ap-northeast-3": "383597477331",
      "ap-southeast-1": "114774131450",
      "ap-southeast-2": "783225319266",
      "ap-southeast-3": "589379963580",
      "ca-central-1": "985666609251",
      "eu-central-1": "054676820928",
      "eu-west-1": "156460612806",
      "eu-west-2": "652711504416",
      "eu-west-3": "009996457667",
      "eu-south-1": "635631232127",
      "eu-north-1": "897822967062",
      "me-south-1": "076674570225",
      "sa-east-1": "507241528517",
      "us-gov-west-1": "048591011584",
      "us-gov-east-1": "190560391635",
    });
  });

  test("LogWriter values are the strings the tags and error messages use", () => {
    expect({ ...LogWriter }).toEqual({ LOAD_BALANCER: "load-balancer", CLOUDFRONT: "cloudfront" });
  });
});

describe("exposed attributes", () => {
  test("bucketName, bucketArn, bucketDomainName (`<bucket>.s3.amazonaws.com` for CloudFront) reference the bucket; logPrefix defaults to \"logs\"", () => {
    const stack = newStack();
    const logs = build(stack);
    new TerraformOutput(stack, "name", { value: logs.bucketName });
    new TerraformOutput(stack, "arn", { value: logs.bucketArn });
    new TerraformOutput(stack, "domain", { value: logs.bucketDomainName });
    const json = synth(stack);
    expect(json.output?.name.value).toBe(refOf(json, BUCKET, "bucket"));
    expect(json.output?.arn.value).toBe(refOf(json, BUCKET, "arn"));
    expect(json.output?.domain.value).toBe(refOf(json, BUCKET, "bucket_domain_name"));
    expect(logs.logPrefix).toBe("logs");
  });

  test("logPrefix is the configured prefix", () => {
    expect(build(newStack(), { logPrefix: "alb/frontend" }).logPrefix).toBe("alb/frontend");
  });
});

describe("validation", () => {
  test("region must be concrete (it selects the ELB log account)", () => {
    const stack = newStack();
    const tokenRegion = new TerraformVariable(stack, "region", { type: "string" }).stringValue;
    expect(inputError(() => build(stack, { region: tokenRegion })).message).toBe(
      'logs.region: "<unresolved token>" is not allowed; expected a concrete value known at synth time (not a resource attribute)',
    );
  });
  test.each(["", "us-east1", "US-EAST-1", "us-east-1a"])("region must be a region name such as us-east-1, not %p (a misspelt one would silently drop the ELB log account)", (region) => {
    expect(inputError(() => build(newStack(), { region })).message).toBe(
      `logs.region: ${JSON.stringify(region)} is not allowed; expected an AWS region name such as eu-west-1`,
    );
  });

  const prefixError = (value: string) => `logs.namePrefix: ${JSON.stringify(value)} is not allowed; expected 1–37 lowercase letters, digits, dots or dashes (S3 bucket_prefix)`;
  test("namePrefix: 1 and 37 characters are accepted, 0 and 38 are not", () => {
    accepts({ namePrefix: "a" });
    accepts({ namePrefix: "a".repeat(37) });
    expect(message({ namePrefix: "" })).toBe(prefixError(""));
    expect(message({ namePrefix: "a".repeat(38) })).toBe(prefixError("a".repeat(38)));
  });
  test("namePrefix: lowercase letters, digits, dots and dashes; it starts with a letter or digit", () => {
    accepts({ namePrefix: "0acme.logs-z9" });
    accepts({ namePrefix: "z" });
    accepts({ namePrefix: "9" });
    for (const bad of ["-acme", ".acme", "Acme", "acme_logs", "acme logs", "acmE"]) expect(message({ namePrefix: bad })).toBe(prefixError(bad));
  });

  test("writer must be one of the LogWriter values", () => {
    expect(message({ writer: "s3" as LogWriter })).toBe('logs.writer: "s3" is not allowed; expected load-balancer | cloudfront');
  });

  const logPrefixError = (value: string) => `logs.logPrefix: ${JSON.stringify(value)} is not allowed; expected a relative S3 key prefix without a trailing slash, not containing AWSLogs`;
  test("logPrefix: a relative key prefix of one or more segments of letters, digits and !_.*'()-", () => {
    for (const ok of ["a", "Z", "9", "alb/frontend", "a/b/c", "AZaz09!_.*'()-/x", "x/AZaz09!_.*'()-"]) expect(build(newStack(), { logPrefix: ok }).logPrefix).toBe(ok);
  });
  test("logPrefix: no leading or trailing slash, no empty segment, no other characters", () => {
    for (const bad of ["", "/logs", "logs/", "a//b", "lo gs", "logs/a b", "lo#gs", "a/#"]) expect(message({ logPrefix: bad })).toBe(logPrefixError(bad));
  });
  test("logPrefix must not contain AWSLogs in any case (ELB adds it itself)", () => {
    for (const bad of ["AWSLogs", "awslogs", "alb/AwsLogs-x"]) expect(message({ logPrefix: bad })).toBe(logPrefixError(bad));
  });

  const expireError = (value: number) => `logs.expireAfterDays: ${value} is not allowed; expected an integer from 1 to 3650`;
  test("expireAfterDays: 1 and 3650 are accepted, 0, 3651 and fractions are not", () => {
    for (const ok of [1, 3650]) {
      const stack = newStack();
      build(stack, { expireAfterDays: ok });
      expect(only(synth(stack), "aws_s3_bucket_lifecycle_configuration").rule[0].expiration).toEqual([{ days: ok }]);
    }
    for (const bad of [0, 3651, 1.5]) expect(message({ expireAfterDays: bad })).toBe(expireError(bad));
  });
});
