/**
 * The rules for the classes of bug mutation testing found (issue #16) on the real stage 3 stack: each
 * applies there, passes, and fails once the stack is bent the way the surviving mutants bent it. Kept
 * apart from the rules' fixtures (secret-reads-and-pairs.test.ts) because it synthesizes a whole stack:
 * the mutation target for modules/policy leaves it out (scripts/mutation/targets.json).
 */
import { renderCloudConfig } from "../../modules/core/cloud-config";
import { escapeTerraformTemplate } from "../../modules/core/terraform-text";
import { TfDocument } from "../../modules/policy/document";
import { IamSecretReadScoped } from "../../modules/policy/rules/iam/IamSecretReadScoped";
import { MonPairExportersScraped } from "../../modules/policy/rules/monitoring/MonPairExportersScraped";
import { SsmSecretParameterEncrypted } from "../../modules/policy/rules/ssm/SsmSecretParameterEncrypted";
import { filesOfUserData } from "../../modules/policy/inspect/cloud-config-files";
import type { PolicyRule } from "../../modules/policy/types";
import { synthStack } from "../support/synth";
import { failing } from "./fixtures";

describe("on the real stage 3 stack", () => {
  const json = synthStack("stage3-scale-up") as Record<string, any>;
  const outcomes = (rule: PolicyRule, doc: Record<string, any>) => {
    const tf = new TfDocument(doc);
    return tf.resources(...(rule.appliesTo as string[])).map((s) => ({ address: s.address, status: rule.evaluate(s, tf).status }));
  };
  const bent = (change: (doc: Record<string, any>) => void) => {
    const copy = structuredClone(json);
    change(copy);
    return copy;
  };

  it("the app tier's secret read and the pair's parameter reads are checked and pass", () => {
    const checked = outcomes(IamSecretReadScoped, json).filter((o) => o.status !== "not-applicable");
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.every((o) => o.status === "compliant")).toBe(true);
  });
  it("fails when the app servers' role may read any secret", () => {
    const doc = bent((d) => {
      for (const p of Object.values(d.resource.aws_iam_role_policy) as { policy: string }[]) {
        p.policy = p.policy.replace(/"Resource":\["\$\{aws_db_instance\.[^"]+secret_arn\}"\]/, '"Resource":"*"');
      }
    });
    expect(failing(IamSecretReadScoped, doc)).toEqual([expect.stringMatching(/^aws_iam_role_policy\.app-tier_role-0_policy_/)]);
  });
  it("the certificate and Grafana parameters are checked (SecureString, customer key) and pass; the backend list is not a secret; the TLS slots (public certificates only) fail and are suppressed with a reason", () => {
    const result = outcomes(SsmSecretParameterEncrypted, json);
    expect(result.filter((o) => o.status === "compliant")).toHaveLength(2);
    expect(result.filter((o) => o.status === "not-applicable")).toHaveLength(1);
    const slots = Object.entries(json.resource.aws_ssm_parameter as Record<string, Record<string, any>>).filter(([, p]) => /\/tls\/(web|app)\//.test(String(p.name)));
    expect(slots).toHaveLength(6);
    expect(failing(SsmSecretParameterEncrypted, json).sort()).toEqual(slots.map(([name]) => `aws_ssm_parameter.${name}`).sort());
    const plain = bent((d) => {
      for (const p of Object.values(d.resource.aws_ssm_parameter) as Record<string, unknown>[]) if (String(p.name).endsWith("/certificate")) { p.type = "String"; delete p.key_id; }
    });
    expect(failing(SsmSecretParameterEncrypted, plain).filter((address) => !/tls_slot/.test(address))).toEqual([expect.stringMatching(/^aws_ssm_parameter\.load-balancers_certificate_/)]);
  });
  it("both nodes of the pair are scraped, and dropping one from Prometheus fails", () => {
    expect(outcomes(MonPairExportersScraped, json).filter((o) => o.status === "compliant")).toHaveLength(2);
    const lbB = (Object.values(json.resource.aws_instance) as Record<string, any>[]).find((i) => String(i.tags?.Name).endsWith("-lb-b"))!;
    const doc = bent((d) => {
      for (const i of Object.values(d.resource.aws_instance) as Record<string, any>[]) {
        const files = filesOfUserData(i.user_data);
        if (!files.some((f) => f.path === "/etc/prometheus/prometheus.yml")) continue;
        // Rewrite the monitoring host's user data with lb-b's exporter target gone.
        i.user_data = escapeTerraformTemplate(renderCloudConfig({
          writeFiles: files.map((f) => ({ path: f.path, content: f.path === "/etc/prometheus/prometheus.yml" ? f.content.replace(`"${lbB.private_ip}:8405"`, `"${lbB.private_ip}:9999"`) : f.content })),
        }));
      }
    });
    expect(failing(MonPairExportersScraped, doc)).toEqual([expect.stringMatching(/lb-b_instance_/)]);
  });
});
