import { Construct } from "constructs";
import { TerraformIterator, TerraformProvider } from "cdktf";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { check } from "../core/validation";

export interface DnsValidatedCertificateProps {
  /** AWS provider of the region that uses the certificate (us-east-1 for CloudFront). @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Main name, e.g. "*.app.example.com". */
  readonly domainName: string;
  /** Further names. @default [] */
  readonly subjectAlternativeNames?: readonly string[];
  /** Route 53 public zone that holds the validation records. */
  readonly zoneId: string;
}

const NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * An ACM certificate validated through DNS records in a Route 53 zone; ACM
 * renews it automatically as long as the records stay. `certificateArn` is
 * usable only once validation has finished, so listeners wait for it.
 */
export class DnsValidatedCertificate extends Construct {
  /** ARN of the validated certificate. */
  readonly certificateArn: string;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    const names: [string, string][] = [[`${id}.domainName`, props.domainName],
      ...(props.subjectAlternativeNames ?? []).map((name, i): [string, string] => [`${id}.subjectAlternativeNames[${i}]`, name])];
    for (const [field, name] of names) {
      check(NAME.test(name), field, name, "a lowercase DNS name such as app.example.com or *.app.example.com");
    }
    const provider = props.provider;
    const certificate = new AcmCertificate(this, "certificate", {
      provider,
      domainName: props.domainName,
      subjectAlternativeNames: props.subjectAlternativeNames ? [...props.subjectAlternativeNames] : undefined,
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      options: { certificateTransparencyLoggingPreference: "ENABLED" },
      tags: { Name: props.domainName },
      lifecycle: { createBeforeDestroy: true },
    });
    // One record per name, keyed by the (plan-time known) domain name. ACM gives a
    // wildcard and its base name the same record, and other certificates of the
    // same names too: overwriting an identical record is expected.
    const options = TerraformIterator.fromComplexList(certificate.domainValidationOptions, "domain_name");
    const records = new Route53Record(this, "validation", {
      forEach: options,
      provider,
      zoneId: props.zoneId,
      name: options.getString("resource_record_name"),
      type: options.getString("resource_record_type"),
      records: [options.getString("resource_record_value")],
      ttl: 300,
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, "validated", {
      provider,
      certificateArn: certificate.arn,
      // Waits until ACM reports the certificate issued, after the records exist.
      dependsOn: [records],
    });
    this.certificateArn = validation.certificateArn;
  }
}
