/**
 * InstanceConnectEndpoint and OperatorAccess in a stack of their own: every promise of
 * modules/operator-access/README.md about the synthesized JSON (test names quote the README). Each
 * test synthesizes its own stack, so mutation testing's per-test coverage can tell the tests apart.
 * The stacks' wiring is covered by __tests__/stages/operator-access.test.ts.
 */
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Firewall } from "../../modules/firewall";
import { InstanceConnectEndpoint, InstanceConnectEndpointProps, OperatorAccess, OperatorAccessProps } from "../../modules/operator-access";
import { enforcePolicy, StackEvaluation } from "../../modules/policy";
import { resourceValuesOf } from "../support/synth";

type Json = Record<string, any>;

const EICE: InstanceConnectEndpointProps = { region: "eu-west-1", name: "shop-eice", vpcId: "vpc-1", vpcCidr: "10.30.0.0/16", subnetId: "subnet-app-a" };
const ACCESS: Omit<OperatorAccessProps, "endpoints"> = { name: "shop", accountId: "111122223333", instanceTags: { Project: "shop", Stack: "prod" } };

function synth(build: (stack: TerraformStack, west: AwsProvider) => void, runValidations = false): Json {
  const app = Testing.app();
  const stack = new TerraformStack(app, "operator-test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const west = new AwsProvider(stack, "aws-west", { region: "us-west-2", alias: "west" });
  build(stack, west);
  return JSON.parse(Testing.synth(stack, runValidations));
}
const statementsOf = (json: Json): Json[] => {
  const policies = resourceValuesOf(json, "aws_iam_role_policy");
  if (policies.length !== 1) throw new Error(`expected one role policy, found ${policies.length}`);
  return JSON.parse(policies[0].policy).Statement;
};
const bySid = (json: Json, sid: string): Json => statementsOf(json).find((s) => s.Sid === sid)!;

describe("InstanceConnectEndpoint (modules/operator-access/README.md)", () => {
  it("\"an `aws_ec2_instance_connect_endpoint` in one subnet (`preserve_client_ip = false`), its own security group\"", () => {
    const json = synth((s) => new InstanceConnectEndpoint(s, "eice", EICE));
    const endpoints = resourceValuesOf(json, "aws_ec2_instance_connect_endpoint");
    expect(endpoints).toHaveLength(1);
    const [groupName] = Object.keys(json.resource.aws_security_group);
    expect(endpoints[0]).toEqual({ subnet_id: "subnet-app-a", preserve_client_ip: false, security_group_ids: [`\${aws_security_group.${groupName}.id}`], tags: { Name: "shop-eice" } });
    expect(json.resource.aws_security_group[groupName]).toMatchObject({ name: "shop-eice", vpc_id: "vpc-1", tags: { Name: "shop-eice" } });
  });

  it("\"nothing in, SSH out to the VPC CIDR only\"", () => {
    const json = synth((s) => new InstanceConnectEndpoint(s, "eice", EICE));
    expect(resourceValuesOf(json, "aws_vpc_security_group_ingress_rule")).toEqual([]);
    expect(resourceValuesOf(json, "aws_vpc_security_group_egress_rule").map((r) => [r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4])).toEqual([["tcp", 22, 22, "10.30.0.0/16"]]);
  });

  it("\"`admitSsh(...firewalls)` adds \"22 from this endpoint's group\" to each host firewall\"", () => {
    const json = synth((s) => {
      const web = new Firewall(s, "web", { vpcId: "vpc-1", name: "shop-web", description: "Web servers of the shop", allowWebEgress: false });
      const app = new Firewall(s, "app", { vpcId: "vpc-1", name: "shop-app", description: "App servers of the shop", allowWebEgress: false });
      new InstanceConnectEndpoint(s, "eice", EICE).admitSsh(web, app);
    });
    const group = (prefix: string) => `\${aws_security_group.${Object.keys(json.resource.aws_security_group).find((n) => n.startsWith(prefix))}.id}`;
    const ingress = resourceValuesOf(json, "aws_vpc_security_group_ingress_rule");
    expect(ingress.map((r) => r.security_group_id).sort()).toEqual([group("app_"), group("web_")].sort());
    for (const rule of ingress) {
      expect(rule).toMatchObject({ ip_protocol: "tcp", from_port: 22, to_port: 22, referenced_security_group_id: group("eice_") });
      expect(rule.cidr_ipv4).toBeUndefined();
    }
  });

  it("\"(same VPC, checked)\": `<id>.admitSsh(<firewall>)` rejects a firewall of another VPC", () => {
    expect(() =>
      synth((s) => {
        const other = new Firewall(s, "other-web", { vpcId: "vpc-2", name: "other-web", description: "Web servers of another VPC" });
        new InstanceConnectEndpoint(s, "eice", EICE).admitSsh(other);
      }),
    ).toThrow(/eice\.admitSsh\(other-web\): "a firewall of another VPC" is not allowed; expected firewalls in the endpoint's own VPC/);
  });

  it("hands out \"`arn`, `endpointId`, `firewall`, `region`, `vpcId`\"", () => {
    const json = synth((s) => {
      const eice = new InstanceConnectEndpoint(s, "eice", EICE);
      expect([eice.region, eice.vpcId]).toEqual(["eu-west-1", "vpc-1"]);
      new TerraformOutput(s, "arn", { value: eice.arn });
      new TerraformOutput(s, "id", { value: eice.endpointId });
      new TerraformOutput(s, "group", { value: eice.firewall.securityGroupId });
    });
    const [endpointName] = Object.keys(json.resource.aws_ec2_instance_connect_endpoint);
    expect(json.output.arn.value).toBe(`\${aws_ec2_instance_connect_endpoint.${endpointName}.arn}`);
    expect(json.output.id.value).toBe(`\${aws_ec2_instance_connect_endpoint.${endpointName}.id}`);
    expect(json.output.group.value).toBe(resourceValuesOf(json, "aws_ec2_instance_connect_endpoint")[0].security_group_ids[0]);
  });

  it("`<id>.region` (a token) is rejected: \"`region` (concrete)\"", () => {
    expect(() =>
      synth((s) => {
        const probe = new InstanceConnectEndpoint(s, "probe", EICE);
        new InstanceConnectEndpoint(s, "eice", { ...EICE, region: probe.arn });
      }),
    ).toThrow(/eice\.region: "<unresolved token>" is not allowed/);
  });
});

describe("OperatorAccess (modules/operator-access/README.md)", () => {
  const withEndpoints = (props: Partial<OperatorAccessProps> = {}, runValidations = false, gate?: StackEvaluation[]) =>
    synth((s, west) => {
      const east = new InstanceConnectEndpoint(s, "eice", EICE);
      const other = new InstanceConnectEndpoint(s, "eice-west", { ...EICE, provider: west, region: "us-west-2", vpcId: "vpc-2", vpcCidr: "10.40.0.0/16", subnetId: "subnet-w" });
      new OperatorAccess(s, "operators", { ...ACCESS, endpoints: [east, other, east], ...props });
      if (gate) enforcePolicy(s, { report: (e) => gate.push(e) });
    }, runValidations);

  it("\"the operator role\" `<name>-operator` (\"`max_session_duration` 3600\"), assumable by principals of `accountId`", () => {
    const json = withEndpoints();
    const [role] = resourceValuesOf(json, "aws_iam_role");
    expect(role.name).toBe("shop-operator");
    expect(role.max_session_duration).toBe(3600);
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "sts:AssumeRole" }]);
    expect(resourceValuesOf(json, "aws_iam_role")).toHaveLength(1);
  });

  it("\"`ec2-instance-connect:SendSSHPublicKey` on `arn:…:instance/*` of the endpoints' regions with conditions `ec2:osuser` and `aws:ResourceTag/<key>` for every given tag\"", () => {
    const push = bySid(withEndpoints(), "PushSshKeyToStackHosts");
    expect(push.Action).toEqual(["ec2-instance-connect:SendSSHPublicKey"]);
    expect(push.Resource).toEqual(["arn:aws:ec2:eu-west-1:111122223333:instance/*", "arn:aws:ec2:us-west-2:111122223333:instance/*"]);
    expect(push.Condition).toEqual({ StringEquals: { "ec2:osuser": "admin", "aws:ResourceTag/Project": "shop", "aws:ResourceTag/Stack": "prod" } });
  });

  it("\"a list value admits any of its values\"", () => {
    const push = bySid(withEndpoints({ instanceTags: { Name: ["shop-frontend", "shop-backend"] } }), "PushSshKeyToStackHosts");
    expect(push.Condition.StringEquals).toEqual({ "ec2:osuser": "admin", "aws:ResourceTag/Name": ["shop-frontend", "shop-backend"] });
  });

  it("\"`osUser?` (default `admin`, Debian's cloud user)\"", () => {
    expect(bySid(withEndpoints({ osUser: "deploy" }), "PushSshKeyToStackHosts").Condition.StringEquals["ec2:osuser"]).toBe("deploy");
  });

  it("\"`ec2-instance-connect:OpenTunnel` on the endpoints' ARNs with `remotePort = 22` and `maxTunnelDuration ≤ 3600`\"", () => {
    const json = withEndpoints();
    const tunnel = bySid(json, "TunnelToSshThroughStackEndpoints");
    const arns = Object.keys(json.resource.aws_ec2_instance_connect_endpoint).map((n) => `\${aws_ec2_instance_connect_endpoint.${n}.arn}`);
    expect(tunnel.Action).toEqual(["ec2-instance-connect:OpenTunnel"]);
    expect([...new Set(tunnel.Resource)].sort()).toEqual(arns.sort());
    expect(tunnel.Condition).toEqual({ NumericEquals: { "ec2-instance-connect:remotePort": "22" }, NumericLessThanEquals: { "ec2-instance-connect:maxTunnelDuration": "3600" } });
  });

  it("\"`ec2:DescribeInstances`/`DescribeInstanceConnectEndpoints` (no resource-level permissions)\", and nothing else", () => {
    const statements = statementsOf(withEndpoints());
    expect(statements.map((s) => s.Sid)).toEqual(["PushSshKeyToStackHosts", "TunnelToSshThroughStackEndpoints", "FindHostsAndEndpoints"]);
    expect(bySid(withEndpoints(), "FindHostsAndEndpoints")).toEqual({ Sid: "FindHostsAndEndpoints", Effect: "Allow", Action: ["ec2:DescribeInstances", "ec2:DescribeInstanceConnectEndpoints"], Resource: "*" });
  });

  it("\"or grants on an existing one\" (`role?`): no role of its own, the policy attached to the given role", () => {
    const json = withEndpoints({ role: { name: "shop-grafana-reader", arn: "arn:aws:iam::111122223333:role/shop-grafana-reader" } });
    expect(resourceValuesOf(json, "aws_iam_role")).toEqual([]);
    const [policy] = resourceValuesOf(json, "aws_iam_role_policy");
    expect(policy).toMatchObject({ role: "shop-grafana-reader", name: "ssh-through-instance-connect" });
  });

  it("hands out \"`roleArn`, `roleName`, `statements`\" (the statements are the policy's)", () => {
    let statements: unknown;
    const json = synth((s) => {
      const access = new OperatorAccess(s, "operators", { ...ACCESS, endpoints: [new InstanceConnectEndpoint(s, "eice", EICE)] });
      statements = access.statements;
      new TerraformOutput(s, "arn", { value: access.roleArn });
      new TerraformOutput(s, "name", { value: access.roleName });
    });
    const [roleName] = Object.keys(json.resource.aws_iam_role);
    expect(json.output.arn.value).toBe(`\${aws_iam_role.${roleName}.arn}`);
    expect(json.output.name.value).toBe(`\${aws_iam_role.${roleName}.name}`);
    expect(JSON.parse(JSON.stringify(statements)).map((s: Json) => s.Sid)).toEqual(statementsOf(json).map((s) => s.Sid));
  });

  it("\"The IAM conditions are checked … by the policy rule `IAM-INSTANCE-CONNECT-SCOPED`\": the module's grants pass it", () => {
    const evaluations: StackEvaluation[] = [];
    withEndpoints({}, true, evaluations);
    expect(evaluations).toHaveLength(1);
    expect(evaluations[0].findings.filter((f) => f.ruleId === "IAM-INSTANCE-CONNECT-SCOPED")).toEqual([]);
  });

  it.each([
    ["`<id>.endpoints: 0 is not allowed; expected at least one Instance Connect Endpoint`", { endpoints: [] }, /operators\.endpoints: 0 is not allowed; expected at least one Instance Connect Endpoint/],
    ["`<id>.osUser`", { osUser: "Admin User" }, /operators\.osUser: "Admin User" is not allowed/],
    ["`<id>.instanceTags`", { instanceTags: {} }, /operators\.instanceTags: \{\} is not allowed/],
  ])("validation error %s", (_label, props, message) => {
    expect(() => synth((s) => new OperatorAccess(s, "operators", { ...ACCESS, endpoints: [new InstanceConnectEndpoint(s, "eice", EICE)], ...props }))).toThrow(message);
  });
});
