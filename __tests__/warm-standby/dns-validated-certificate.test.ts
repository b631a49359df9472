/**
 * DnsValidatedCertificate (modules/warm-standby/dns-validated-certificate.ts): "An ACM certificate validated
 * through DNS records in a Route 53 zone; ACM renews it automatically as long as the records stay.
 * `certificateArn` is usable only once validation has finished, so listeners wait for it."
 * Each test synthesizes its own tiny stack.
 */
import { TerraformOutput } from "cdktf";
import { DnsValidatedCertificate, DnsValidatedCertificateProps } from "../../modules/warm-standby/dns-validated-certificate";
import { aliasedProvider, inputError, newStack, only, refOf, resourceCounts, synth } from "./edge-b-support";

const CERT = "aws_acm_certificate";

function build(props: Partial<DnsValidatedCertificateProps> = {}) {
  const stack = newStack();
  const certificate = new DnsValidatedCertificate(stack, "cert", { domainName: "*.app.example.com", zoneId: "Z0123456789ABCDEFGHIJ", ...props });
  return { stack, certificate };
}

function accepts(domainName: string): void {
  const { stack } = build({ domainName });
  expect(only(synth(stack), CERT).domain_name).toBe(domainName);
}
function rejection(domainName: string, subjectAlternativeNames?: string[]): string {
  return inputError(() => build({ domainName, subjectAlternativeNames })).message;
}
const nameError = (value: string) => `cert.domainName: ${JSON.stringify(value)} is not allowed; expected a lowercase DNS name such as app.example.com or *.app.example.com`;

describe("the certificate", () => {
  test("a DNS-validated RSA-2048 certificate with transparency logging, tagged with its name, replaced create-before-destroy; no further names by default", () => {
    const { stack } = build();
    const json = synth(stack);
    expect(only(json, CERT)).toEqual({
      domain_name: "*.app.example.com",
      validation_method: "DNS",
      key_algorithm: "RSA_2048",
      options: { certificate_transparency_logging_preference: "ENABLED" },
      tags: { Name: "*.app.example.com" },
      lifecycle: { create_before_destroy: true },
    });
    expect(resourceCounts(json)).toEqual({ aws_acm_certificate: 1, aws_route53_record: 1, aws_acm_certificate_validation: 1 });
  });

  test("further names become subject alternative names, in order", () => {
    const { stack } = build({ subjectAlternativeNames: ["app.example.com", "www.app.example.com"] });
    expect(only(synth(stack), CERT).subject_alternative_names).toEqual(["app.example.com", "www.app.example.com"]);
  });

  test("one validation record per name (keyed by domain name) in the given zone, TTL 300, overwriting the identical record a wildcard and its base name share", () => {
    const { stack } = build({ subjectAlternativeNames: ["app.example.com"] });
    const json = synth(stack);
    expect(only(json, "aws_route53_record")).toEqual({
      for_each: `\${{ for key, val in tolist(${refOf(json, CERT, "domain_validation_options").slice(2, -1)}): val.domain_name => val }}`,
      zone_id: "Z0123456789ABCDEFGHIJ",
      name: "${each.value.resource_record_name}",
      type: "${each.value.resource_record_type}",
      records: ["${each.value.resource_record_value}"],
      ttl: 300,
      allow_overwrite: true,
    });
  });

  test("the validation waits for the records and certificateArn is the validated ARN, so listeners wait for validation", () => {
    const { stack, certificate } = build();
    new TerraformOutput(stack, "arn", { value: certificate.certificateArn });
    const json = synth(stack);
    const [recordName] = Object.keys(json.resource?.aws_route53_record ?? {});
    expect(only(json, "aws_acm_certificate_validation")).toEqual({
      certificate_arn: refOf(json, CERT, "arn"),
      depends_on: [`aws_route53_record.${recordName}`],
    });
    expect(json.output?.arn.value).toBe(refOf(json, "aws_acm_certificate_validation", "certificate_arn"));
  });

  test("the provider of the region that uses the certificate (us-east-1 for CloudFront) is used by the certificate, the records and the validation", () => {
    const stack = newStack();
    new DnsValidatedCertificate(stack, "cert", { provider: aliasedProvider(stack, "edge", "us-east-1"), domainName: "app.example.com", zoneId: "Z1" });
    const json = synth(stack);
    for (const type of [CERT, "aws_route53_record", "aws_acm_certificate_validation"]) expect(only(json, type).provider).toBe("aws.edge");
  });

  test("without a provider, the stack's default AWS provider is used (no provider attribute)", () => {
    const { stack } = build();
    const json = synth(stack);
    for (const type of [CERT, "aws_route53_record", "aws_acm_certificate_validation"]) expect(only(json, type)).not.toHaveProperty("provider");
  });
});

describe("names: a lowercase DNS name such as app.example.com or *.app.example.com", () => {
  test("plain, wildcard, one-, two- and 63-character labels, digits, inner hyphens and many levels are accepted", () => {
    for (const ok of ["app.example.com", "*.app.example.com", "a.example.com", "ab.example.com", "1app.example.com", "app1.example.com", "a1b.example.com", "my-app.example.com", `${"a".repeat(63)}.example.com`, "a.b.c.d.example.com", "example.com"]) accepts(ok);
  });
  test("the top-level label has 2 to 63 letters", () => {
    accepts("app.example.io");
    accepts(`app.example.${"z".repeat(63)}`);
    expect(rejection("app.example.c")).toBe(nameError("app.example.c"));
    expect(rejection(`app.example.${"z".repeat(64)}`)).toBe(nameError(`app.example.${"z".repeat(64)}`));
  });
  test("a 64-character label is refused", () => {
    const long = `${"a".repeat(64)}.example.com`;
    expect(rejection(long)).toBe(nameError(long));
  });
  test("uppercase, leading or trailing hyphens, underscores, trailing dots, single labels and misplaced wildcards are refused", () => {
    for (const bad of ["App.example.com", "app.Example.com", "app.example.COM", "-app.example.com", "app-.example.com", "app_1.example.com", "app.example.com.", "app.example.c0m", "example", "*app.example.com", "**.example.com", "app.*.example.com", "*.*.example.com", " app.example.com", "app.example.com "]) {
      expect(rejection(bad)).toBe(nameError(bad));
    }
  });
  test("every subject alternative name is checked too (the error names the offending SAN by its index)", () => {
    expect(rejection("*.app.example.com", ["app.example.com", "Www.app.example.com"]))
      .toBe(nameError("Www.app.example.com").replace("cert.domainName", "cert.subjectAlternativeNames[1]"));
  });
});
