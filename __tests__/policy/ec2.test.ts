import { Ec2EbsEncrypted } from "../../modules/policy/rules/ec2/Ec2EbsEncrypted";
import { Ec2Imdsv2Required } from "../../modules/policy/rules/ec2/Ec2Imdsv2Required";
import { Ec2NoPublicIp } from "../../modules/policy/rules/ec2/Ec2NoPublicIp";
import { describeRules, tf } from "./fixtures";

const required = { http_tokens: "required", http_put_response_hop_limit: 1 };

describeRules([
  {
    rule: Ec2Imdsv2Required,
    compliant: tf(
      ["aws_instance", "web", { metadata_options: required }],
      ["aws_instance", "no_imds", { metadata_options: { http_endpoint: "disabled" } }],
      ["aws_launch_template", "lt", { metadata_options: [required] }],
    ),
    nonCompliant: tf(
      ["aws_instance", "ok", { metadata_options: required }],
      ["aws_instance", "optional", { metadata_options: { http_tokens: "optional" } }],
      ["aws_instance", "unset", {}],
      ["aws_launch_template", "lt", { metadata_options: { http_endpoint: "enabled" } }],
    ),
    failing: ["aws_instance.optional", "aws_instance.unset", "aws_launch_template.lt"],
    texts: [
      "aws_instance.optional: metadata_options.http_tokens is \"optional\"; IMDSv1 stays reachable",
      "aws_instance.unset: metadata_options.http_tokens is unset; IMDSv1 stays reachable",
      "aws_launch_template.lt: metadata_options.http_tokens is unset; IMDSv1 stays reachable",
    ],
  },
  {
    rule: Ec2EbsEncrypted,
    compliant: tf(
      ["aws_instance", "web", { root_block_device: { encrypted: true }, ebs_block_device: [{ device_name: "/dev/sdb", encrypted: true }] }],
      ["aws_launch_template", "lt", { block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: "true" } }] }],
      // An instance-store and a suppressed mapping hold no EBS volume: only the encrypted one is checked.
      ["aws_launch_template", "lt_mixed", { block_device_mappings: [{ device_name: "/dev/sdb", virtual_name: "ephemeral0" }, { device_name: "/dev/sdc", no_device: "" }, { device_name: "/dev/xvda", ebs: { encrypted: true } }] }],
      ["aws_ebs_volume", "data", { encrypted: true }],
    ),
    nonCompliant: tf(
      ["aws_instance", "ok", { root_block_device: { encrypted: true } }],
      ["aws_instance", "no_root", {}],
      ["aws_instance", "plain_data", { root_block_device: { encrypted: true }, ebs_block_device: [{ encrypted: false }] }],
      ["aws_launch_template", "lt_plain", { block_device_mappings: [{ ebs: { encrypted: "false" } }] }],
      ["aws_launch_template", "lt_none", {}],
      ["aws_launch_template", "lt_ephemeral_only", { block_device_mappings: [{ device_name: "/dev/sdb", virtual_name: "ephemeral0" }] }],
      ["aws_launch_template", "lt_after_ephemeral", { block_device_mappings: [{ device_name: "/dev/sdb", virtual_name: "ephemeral0" }, { device_name: "/dev/xvda", ebs: { encrypted: false } }] }],
      ["aws_instance", "plain_root", { root_block_device: { encrypted: false } }],
      ["aws_ebs_volume", "vol", {}],
    ),
    failing: ["aws_ebs_volume.vol", "aws_instance.no_root", "aws_instance.plain_data", "aws_instance.plain_root", "aws_launch_template.lt_after_ephemeral", "aws_launch_template.lt_ephemeral_only", "aws_launch_template.lt_none", "aws_launch_template.lt_plain"],
    texts: [
      "aws_ebs_volume.vol: encrypted is unset",
      "aws_instance.no_root: root_block_device is not declared, so the root volume's encryption depends on account defaults",
      "aws_instance.plain_data: ebs_block_device[0].encrypted is false",
      "aws_instance.plain_root: root_block_device.encrypted is false",
      "aws_launch_template.lt_after_ephemeral: block_device_mappings[1].ebs.encrypted is false",
      "aws_launch_template.lt_ephemeral_only: block_device_mappings declares no EBS volume, so the root volume's encryption depends on the AMI and account defaults",
      "aws_launch_template.lt_none: block_device_mappings declares no EBS volume, so the root volume's encryption depends on the AMI and account defaults",
      "aws_launch_template.lt_plain: block_device_mappings[0].ebs.encrypted is \"false\"",
    ],
  },
  {
    rule: Ec2NoPublicIp,
    compliant: tf(
      ["aws_subnet", "private", { map_public_ip_on_launch: false }],
      ["aws_instance", "app", { subnet_id: "${aws_subnet.private.id}", associate_public_ip_address: false }],
      ["aws_instance", "inherit_private", { subnet_id: "${aws_subnet.private.id}" }],
      ["aws_launch_template", "lt", { network_interfaces: [{ associate_public_ip_address: "false" }] }],
    ),
    nonCompliant: tf(
      ["aws_subnet", "public", { map_public_ip_on_launch: true }],
      ["aws_instance", "explicit", { associate_public_ip_address: true }],
      ["aws_instance", "inherits", { subnet_id: "${aws_subnet.public.id}" }],
      ["aws_instance", "opted_out", { subnet_id: "${aws_subnet.public.id}", associate_public_ip_address: false }],
      ["aws_launch_template", "lt", { network_interfaces: [{ associate_public_ip_address: "true" }] }],
    ),
    failing: ["aws_instance.explicit", "aws_instance.inherits", "aws_launch_template.lt"],
    texts: [
      "aws_instance.explicit: associate_public_ip_address is true",
      "aws_instance.inherits: associate_public_ip_address is unset and subnet aws_subnet.public maps public IPs on launch",
      "aws_launch_template.lt: network_interfaces[0].associate_public_ip_address is true",
    ],
  },
]);
