import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { partitionOf, PolicyStatement, policyDocument } from "../core/iam";
import { check } from "../core/validation";
import { checkRegion } from "../server-config/inputs";

/**
 * Elastic Load Balancing's log-writing account per region, for regions opened
 * before August 2022; newer regions accept only the log delivery service principal.
 */
export const ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
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
};

/** Which service writes into the bucket. */
export enum LogWriter {
  /** Application Load Balancers of the bucket's region (bucket policy for ELB log delivery, SSE-S3 as ELB requires). */
  LOAD_BALANCER = "load-balancer",
  /** CloudFront standard logs (they are delivered through bucket ACLs, so object ownership is "BucketOwnerPreferred"). */
  CLOUDFRONT = "cloudfront",
}

export interface AccessLogBucketProps {
  /** AWS provider of the bucket's region; load balancers log only to a bucket in their own region. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Region of `provider`: a concrete region name such as us-east-1 (it selects the ELB log account). */
  readonly region: string;
  /** Bucket name prefix (Terraform appends a unique suffix), at most 37 characters. */
  readonly namePrefix: string;
  readonly writer: LogWriter;
  /** Key prefix the logs are written under. @default "logs" */
  readonly logPrefix?: string;
  /** Days before log objects expire. @default 90 */
  readonly expireAfterDays?: number;
}

/**
 * An S3 bucket for access logs: private (all four public-access blocks),
 * encrypted (SSE-S3: ELB log delivery supports no KMS key), versioned with
 * noncurrent versions expiring, TLS-only, writable only by the log service.
 */
export class AccessLogBucket extends Construct {
  readonly bucketName: string;
  readonly bucketArn: string;
  /** `<bucket>.s3.amazonaws.com`, what CloudFront's logging_config wants. */
  readonly bucketDomainName: string;
  readonly logPrefix: string;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    checkRegion(`${id}.region`, props.region);
    check(/^[a-z0-9][a-z0-9.-]{0,36}$/.test(props.namePrefix), `${id}.namePrefix`, props.namePrefix, "1–37 lowercase letters, digits, dots or dashes (S3 bucket_prefix)");
    check(Object.values(LogWriter).includes(props.writer), `${id}.writer`, props.writer, Object.values(LogWriter).join(" | "));
    const logPrefix = props.logPrefix ?? "logs";
    check(/^[a-zA-Z0-9!_.*'()-]+(\/[a-zA-Z0-9!_.*'()-]+)*$/.test(logPrefix) && !/awslogs/i.test(logPrefix), `${id}.logPrefix`, logPrefix, "a relative S3 key prefix without a trailing slash, not containing AWSLogs");
    const expire = props.expireAfterDays ?? 90;
    check(Number.isInteger(expire) && expire >= 1 && expire <= 3650, `${id}.expireAfterDays`, expire, "an integer from 1 to 3650");
    const provider = props.provider;

    const bucket = new S3Bucket(this, "bucket", { provider, bucketPrefix: props.namePrefix, forceDestroy: false, tags: { Name: props.namePrefix, Purpose: `${props.writer} access logs` } });
    new S3BucketPublicAccessBlock(this, "public-access-block", { provider, bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    new S3BucketOwnershipControls(this, "ownership", {
      provider,
      bucket: bucket.id,
      rule: { objectOwnership: props.writer === LogWriter.CLOUDFRONT ? "BucketOwnerPreferred" : "BucketOwnerEnforced" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      provider,
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
    });
    new S3BucketVersioningA(this, "versioning", { provider, bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      provider,
      bucket: bucket.id,
      rule: [
        {
          id: "expire-logs",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days: expire }],
          noncurrentVersionExpiration: [{ noncurrentDays: 30 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });

    const objects = `${bucket.arn}/${logPrefix}/*`;
    const statements: PolicyStatement[] = [
      { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: { AWS: "*" }, Action: "s3:*", Resource: [bucket.arn, `${bucket.arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
    ];
    if (props.writer === LogWriter.LOAD_BALANCER) {
      statements.push({ Sid: "ElbLogDelivery", Effect: "Allow", Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, Action: "s3:PutObject", Resource: objects });
      const account = ELB_LOG_ACCOUNTS[props.region];
      if (account) statements.push({ Sid: "ElbLogAccount", Effect: "Allow", Principal: { AWS: `arn:${partitionOf(props.region)}:iam::${account}:root` }, Action: "s3:PutObject", Resource: objects });
    }
    new S3BucketPolicy(this, "policy", { provider, bucket: bucket.id, policy: policyDocument(statements) });

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.bucketDomainName = bucket.bucketDomainName;
    this.logPrefix = logPrefix;
  }
}
