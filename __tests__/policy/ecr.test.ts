import { EcrImmutableTags } from "../../modules/policy/rules/ecr/EcrImmutableTags";
import { EcrKmsEncryption } from "../../modules/policy/rules/ecr/EcrKmsEncryption";
import { EcrScanOnPush } from "../../modules/policy/rules/ecr/EcrScanOnPush";
import { describeRules, Entry, messages, tf } from "./fixtures";

/** A repository that satisfies every ECR rule; cases override one attribute. */
const goodRepo = {
  name: "webplat/app",
  image_tag_mutability: "IMMUTABLE",
  image_scanning_configuration: { scan_on_push: true },
  encryption_configuration: [{ encryption_type: "KMS", kms_key: "${aws_kms_key.ecr.arn}" }],
};
const repo = (name: string, override: Record<string, unknown> = {}): Entry => ["aws_ecr_repository", name, { ...goodRepo, ...override }];
const goodTemplate = { prefix: "webplat", applied_for: ["REPLICATION"], image_tag_mutability: "IMMUTABLE", encryption_configuration: [{ encryption_type: "KMS", kms_key: "${aws_kms_key.dr.arn}" }] };
const template = (name: string, override: Record<string, unknown> = {}): Entry => ["aws_ecr_repository_creation_template", name, { ...goodTemplate, ...override }];

describeRules([
  {
    rule: EcrScanOnPush,
    compliant: tf(repo("app"), repo("as_list", { image_scanning_configuration: [{ scan_on_push: true }] })),
    nonCompliant: tf(repo("off", { image_scanning_configuration: { scan_on_push: false } }), repo("unset", { image_scanning_configuration: undefined }), repo("ok")),
    failing: ["aws_ecr_repository.off", "aws_ecr_repository.unset"],
    texts: [
      "aws_ecr_repository.off: image_scanning_configuration.scan_on_push is false",
      "aws_ecr_repository.unset: image_scanning_configuration.scan_on_push is unset",
    ],
  },
  {
    rule: EcrImmutableTags,
    compliant: tf(repo("app"), template("replicas")),
    nonCompliant: tf(
      repo("mutable", { image_tag_mutability: "MUTABLE" }),
      repo("unset", { image_tag_mutability: undefined }),
      template("mutable_replicas", { image_tag_mutability: "MUTABLE" }),
      repo("ok"),
    ),
    failing: ["aws_ecr_repository.mutable", "aws_ecr_repository.unset", "aws_ecr_repository_creation_template.mutable_replicas"],
    texts: [
      "aws_ecr_repository.mutable: image_tag_mutability is \"MUTABLE\"",
      "aws_ecr_repository.unset: image_tag_mutability is unset",
      "aws_ecr_repository_creation_template.mutable_replicas: image_tag_mutability is \"MUTABLE\"",
    ],
  },
  {
    rule: EcrKmsEncryption,
    compliant: tf(repo("app"), template("replicas"), repo("as_object", { encryption_configuration: { encryption_type: "KMS", kms_key: "arn:aws:kms:us-east-1:1:key/x" } })),
    nonCompliant: tf(
      repo("aes", { encryption_configuration: [{ encryption_type: "AES256" }] }),
      repo("unset", { encryption_configuration: undefined }),
      repo("aws_managed", { encryption_configuration: [{ encryption_type: "KMS" }] }),
      template("aes_replicas", { encryption_configuration: undefined }),
      repo("ok"),
    ),
    failing: ["aws_ecr_repository.aes", "aws_ecr_repository.aws_managed", "aws_ecr_repository.unset", "aws_ecr_repository_creation_template.aes_replicas"],
    texts: [
      "aws_ecr_repository.aes: encryption_type is \"AES256\"",
      "aws_ecr_repository.aws_managed: encryption_type is KMS but kms_key is not set (the AWS managed aws/ecr key)",
      "aws_ecr_repository.unset: no encryption_configuration: ECR uses AES-256 with a key nobody here controls",
      "aws_ecr_repository_creation_template.aes_replicas: no encryption_configuration: ECR uses AES-256 with a key nobody here controls",
    ],
  },
]);

test("the messages say what is wrong", () => {
  expect(messages(EcrKmsEncryption, tf(repo("m", { encryption_configuration: [{ encryption_type: "KMS" }] })))).toEqual([expect.stringMatching(/aws\/ecr/)]);
  expect(messages(EcrImmutableTags, tf(repo("m", { image_tag_mutability: "MUTABLE" })))).toEqual(['image_tag_mutability is "MUTABLE"']);
});
