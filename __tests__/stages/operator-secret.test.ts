/**
 * Grafana's generated admin password reaches operators without passing through
 * Terraform: the monitoring host writes it into an encrypted SSM parameter that
 * only it may write and only the operator role may read.
 */
import { fileFromCloudConfig } from "../../modules/core/cloud-config";
import { unescapeTerraformTemplate } from "../../modules/core/terraform-text";
import { GRAFANA_APT_SETUP_SCRIPT_PATH } from "../../modules/server-config/paths";
import { renderGrafanaAptInstallScript } from "../../modules/server-config/roles/grafana-apt";
import { instancesWithRole, roleOfInstance } from "../support/reachability";
import { referenced, resourcesOf, synthStack } from "../support/synth";

type Res = Record<string, any>;
const statementsOf = (json: Res, roleName: string): Res[] =>
  resourcesOf(json, "aws_iam_role_policy").filter(([, p]) => String(p.role).includes(`aws_iam_role.${roleName}.`)).flatMap(([, p]) => JSON.parse(p.policy).Statement);

describe.each(["stage2-secured-monitored", "stage3-scale-up"])("%s: Grafana's admin password for operators", (stack) => {
  const json = synthStack(stack) as Res;
  const prefix = `webplat-dev-${stack.split("-")[0]}`;
  const [[parameterName, parameter]] = resourcesOf(json, "aws_ssm_parameter").filter(([, p]) => p.name === `/${prefix}/grafana-admin`);
  const parameterArn = `\${aws_ssm_parameter.${parameterName}.arn}`;

  it("\"Terraform creates the parameter with a placeholder and never reads the value back\": an encrypted SecureString", () => {
    expect(parameter.type).toBe("SecureString");
    expect(parameter.key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(parameter.value).toBe("not yet written by the host");
    expect(parameter.lifecycle.ignore_changes).toEqual(["value"]);
  });

  it("\"The monitoring host … generates Grafana's admin password at first boot … and writes it into the SSM SecureString\"; \"The host may only write that parameter\"", () => {
    const [[instanceName, instance]] = instancesWithRole(json, "monitoring");
    const script = fileFromCloudConfig(unescapeTerraformTemplate(instance.user_data), GRAFANA_APT_SETUP_SCRIPT_PATH);
    expect(script).toContain(`aws ssm put-parameter --region us-east-1 --name /${prefix}/grafana-admin --type SecureString --key-id alias/${prefix}-grafana-admin --overwrite --value "file:///etc/grafana-admin/password"`);
    const statements = statementsOf(json, roleOfInstance(json, instanceName));
    const write = statements.find((s) => s.Sid === "WriteOperatorSecret")!;
    expect(write).toMatchObject({ Action: ["ssm:PutParameter"], Resource: parameterArn });
    expect(statements.flatMap((s) => s.Action)).not.toContain("ssm:GetParameter");
    expect(statements.find((s) => s.Sid === "EncryptOperatorSecret")!.Action).toEqual(["kms:Encrypt", "kms:GenerateDataKey"]);
  });

  it("\"the role in the output `operator_role_arn` may only read it (and decrypt with its key)\", assumable by principals of the account", () => {
    const [[roleName, role]] = resourcesOf(json, "aws_iam_role").filter(([, r]) => r.name === `${prefix}-operator`);
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([{ Effect: "Allow", Principal: { AWS: expect.stringMatching(/^arn:aws:iam::\$\{data\.aws_caller_identity\.[^.]+\.account_id\}:root$/) }, Action: "sts:AssumeRole" }]);
    // The same role also carries the EC2 Instance Connect grants (__tests__/stages/operator-access.test.ts).
    const statements = statementsOf(json, roleName).filter((s) => !["PushSshKeyToStackHosts", "TunnelToSshThroughStackEndpoints", "FindHostsAndEndpoints"].includes(s.Sid));
    expect(statementsOf(json, roleName)).toHaveLength(statements.length + 3);
    expect(statements.map((s) => [s.Action, s.Resource])).toEqual([
      [["ssm:GetParameter"], parameterArn],
      [["kms:Decrypt"], `\${aws_kms_key.${referenced(json, parameter.key_id).name}.arn}`],
    ]);
    expect(json.output.operator_role_arn.value).toBe(`\${aws_iam_role.${roleName}.arn}`);
  });
});

describe("grafana install script", () => {
  it("keeps the password on the host only unless a parameter is given", () => {
    expect(renderGrafanaAptInstallScript()).not.toContain("aws ssm");
    expect(renderGrafanaAptInstallScript({ name: "/p/x", region: "eu-west-1", keyAlias: "alias/p-x" })).toContain("aws ssm put-parameter --region eu-west-1 --name /p/x --type SecureString --key-id alias/p-x");
  });
});
