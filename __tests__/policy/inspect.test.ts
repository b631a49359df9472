/**
 * The readers the rules share (modules/policy/inspect), on their own: what a host's cloud-config writes,
 * how security-group ingress, listeners and S3 buckets are read, and where secrets are looked for.
 * Each case is one a rule relies on and no rule fixture states (found by mutation testing, issue #16).
 */
import { gzipSync } from "zlib";
import { TfDocument } from "../../modules/policy/document";
import { filesOfUserData } from "../../modules/policy/inspect/cloud-config-files";
import { ingressPermissions } from "../../modules/policy/inspect/ingress";
import { listenerProtocol } from "../../modules/policy/inspect/load-balancers";
import { publicPortRule } from "../../modules/policy/inspect/public-port-rule";
import { bucketSettings, isStateBucket } from "../../modules/policy/inspect/s3-links";
import { decodeBase64Text, stringsOf } from "../../modules/policy/inspect/strings";
import type { TfSubject } from "../../modules/policy/types";
import { Entry, tf } from "./fixtures";

const cloudConfig = (writeFiles: unknown[]) => `#cloud-config\n${JSON.stringify({ write_files: writeFiles })}`;
const b64 = (text: string) => Buffer.from(text).toString("base64");
const subjectOf = (doc: TfDocument, type: string, name: string): TfSubject => doc.resources(type).find((s) => s.name === name)!;
const one = (...entry: Entry) => {
  const doc = new TfDocument(tf(entry));
  return { doc, subject: subjectOf(doc, entry[0], entry[1]) };
};

describe("files a host's cloud-config writes", () => {
  test("plain, b64 and gz+b64 contents, as the host writes them", () => {
    expect(filesOfUserData(cloudConfig([
      { path: "/a", content: "plain" },
      { path: "/b", content: b64("base64 text"), encoding: "b64" },
      { path: "/c", content: gzipSync("gzip text").toString("base64"), encoding: "gz+b64" },
    ]))).toEqual([{ path: "/a", content: "plain" }, { path: "/b", content: "base64 text" }, { path: "/c", content: "gzip text" }]);
  });

  test("Terraform's template escapes ($${, %%{) are read back as the host receives them", () => {
    expect(filesOfUserData(cloudConfig([{ path: "/a", content: "$${HOME} %%{ if x }" }]))).toEqual([{ path: "/a", content: "${HOME} %{ if x }" }]);
  });

  test("only user data that starts with #cloud-config is read", () => {
    expect(filesOfUserData(JSON.stringify({ write_files: [{ path: "/a", content: "x" }] }))).toEqual([]);
  });

  test("entries that are not files, and a gz+b64 content that does not unzip, yield nothing", () => {
    expect(filesOfUserData(cloudConfig([null, "x", 3, { path: "/ok", content: "y" }]))).toEqual([{ path: "/ok", content: "y" }]);
    expect(filesOfUserData(cloudConfig([{ path: "/bad", content: b64("not gzip"), encoding: "gz+b64" }]))).toEqual([]);
  });
});

describe("security-group ingress", () => {
  test("a default security group's inline ingress is read like any security group's", () => {
    const { subject } = one("aws_default_security_group", "d", { ingress: [{ protocol: "tcp", from_port: 22, to_port: 22, cidr_blocks: ["0.0.0.0/0"] }] });
    expect(ingressPermissions(subject)).toEqual([{ where: "ingress[0]", protocol: "tcp", fromPort: 22, toPort: 22, cidrs: ["0.0.0.0/0"] }]);
  });

  test("an unset protocol stays unset: it is not read as every protocol", () => {
    const { subject } = one("aws_security_group", "g", { ingress: [{ from_port: 22, to_port: 22, cidr_blocks: ["0.0.0.0/0"] }] });
    expect(ingressPermissions(subject).map((p) => p.protocol)).toEqual([""]);
  });
});

describe("a public-port rule", () => {
  const ssh = publicPortRule({ id: "TEST-SSH", service: "SSH", ports: [22] });

  test("checks TCP when no protocols are given", () => {
    expect(ssh.title).toBe("No SSH (tcp 22) ingress from 0.0.0.0/0 or ::/0");
    const udp = one("aws_security_group", "g", { ingress: [{ protocol: "udp", from_port: 22, to_port: 22, cidr_blocks: ["0.0.0.0/0"] }] });
    expect(ssh.evaluate(udp.subject, udp.doc).status).toBe("compliant");
    const tcp = one("aws_security_group", "g", { ingress: [{ protocol: "tcp", from_port: 22, to_port: 22, cidr_blocks: ["0.0.0.0/0"] }] });
    expect(ssh.evaluate(tcp.subject, tcp.doc).status).toBe("non-compliant");
  });

  test("a standalone rule that grants no ingress does not apply; a security group without ingress complies", () => {
    const egress = one("aws_security_group_rule", "out", { type: "egress", protocol: "-1", from_port: 0, to_port: 0, cidr_blocks: ["0.0.0.0/0"], security_group_id: "x" });
    expect(ssh.evaluate(egress.subject, egress.doc).status).toBe("not-applicable");
    const closed = one("aws_security_group", "closed", { description: "no ingress" });
    expect(ssh.evaluate(closed.subject, closed.doc).status).toBe("compliant");
  });
});

describe("a listener's protocol", () => {
  const doc = new TfDocument(tf(
    ["aws_lb", "nlb", { load_balancer_type: "network" }],
    ["aws_lb", "alb", {}],
    ["aws_lb_listener", "nlb_empty", { load_balancer_arn: "${aws_lb.nlb.arn}", protocol: "" }],
    ["aws_lb_listener", "nlb_unset", { load_balancer_arn: "${aws_lb.nlb.arn}" }],
    ["aws_lb_listener", "alb_unset", { load_balancer_arn: "${aws_lb.alb.arn}" }],
    ["aws_lb_listener", "unknown_lb", { load_balancer_arn: "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/x/1" }],
    ["aws_lb_listener", "explicit", { load_balancer_arn: "${aws_lb.nlb.arn}", protocol: "tls" }],
  ));
  test.each([
    ["explicit", "TLS"],
    ["nlb_empty", "TCP"],
    ["nlb_unset", "TCP"],
    ["alb_unset", "HTTP"],
    ["unknown_lb", "HTTP"],
  ])("%s: %s", (name, protocol) => {
    expect(listenerProtocol(doc, subjectOf(doc, "aws_lb_listener", name))).toBe(protocol);
  });
});

describe("S3 bucket settings and state buckets", () => {
  test("a setting belongs to a bucket by reference or by its literal name, never because both names are missing or empty", () => {
    const doc = new TfDocument(tf(
      ["aws_s3_bucket", "named", { bucket: "site-logs" }],
      ["aws_s3_bucket", "unnamed", {}],
      ["aws_s3_bucket", "empty", { bucket: "" }],
      ["aws_s3_bucket_versioning", "by_ref", { bucket: "${aws_s3_bucket.named.id}" }],
      ["aws_s3_bucket_versioning", "by_name", { bucket: "site-logs" }],
      ["aws_s3_bucket_versioning", "no_bucket", {}],
      ["aws_s3_bucket_versioning", "empty_bucket", { bucket: "" }],
    ));
    const settings = (name: string) => bucketSettings(doc, subjectOf(doc, "aws_s3_bucket", name), "aws_s3_bucket_versioning").map((s) => s.name).sort();
    expect(settings("named")).toEqual(["by_name", "by_ref"]);
    expect(settings("unnamed")).toEqual([]);
    expect(settings("empty")).toEqual([]);
  });

  const bucket = (config: Record<string, unknown>, name = "b") => one("aws_s3_bucket", name, config).subject;

  test.each([
    [{ tags: { Purpose: "terraform-state" } }, true],
    [{ tags: { purpose: "Terraform State" } }, true],
    [{ tags: { MyPurpose: "terraform-state" } }, false],
    [{ tags: { Purposes: "terraform-state" } }, false],
    [{ tags: { Owner: "state team" } }, false],
    [{ tags: { Purpose: 1 } }, false],
    [{ tags: null }, false],
    [{ bucket: "acme-tfstate" }, true],
    [{ bucket: "acme-terraform-state-eu" }, true],
    [{ bucket: "state-files" }, true],
    [{ bucket: "app-state" }, true],
    [{ bucket: "app.state.backup" }, true],
    [{ bucket_prefix: "ci_state_" }, true],
    [{ bucket: "mystate-files" }, false],
    [{ bucket: "statements-archive" }, false],
    [{ bucket: "real-estate-photos" }, false],
  ])("%j is a state bucket: %s", (config, expected) => {
    expect(isStateBucket(bucket(config, "site"))).toBe(expected);
  });

  test("the block's own name counts as a name", () => {
    expect(isStateBucket(bucket({}, "tf_state"))).toBe(true);
    expect(isStateBucket(bucket({}, "assets"))).toBe(false);
  });
});

describe("where secrets are looked for", () => {
  const secretText = "password=correct-horse-battery";

  test("user data is also read base64-decoded; any other attribute only as written", () => {
    expect(stringsOf({ user_data_base64: b64(secretText), tags: { blob: b64(secretText) } })).toEqual([
      { path: "user_data_base64", key: "user_data_base64", value: b64(secretText) },
      { path: "user_data_base64 (base64-decoded)", key: "user_data_base64", value: secretText },
      { path: "tags.blob", key: "blob", value: b64(secretText) },
    ]);
  });

  test("base64 is decoded only when the whole value is base64, not a base64 tail after other text", () => {
    expect(decodeBase64Text(b64(secretText))).toBe(secretText);
    expect(decodeBase64Text(`!!!!${b64("twelve chars")}`)).toBeUndefined();
  });
});
