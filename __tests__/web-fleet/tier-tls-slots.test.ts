/**
 * TierTlsSlots in a stack of its own: one SSM slot per server of a tier, the statements that let the
 * tier publish and its callers pin, and nothing more (modules/web-fleet/README.md).
 */
import { Lazy, TerraformOutput, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TierTlsSlots, TierTlsSlotsProps } from "../../modules/web-fleet";
import { InvalidInputError } from "../../modules/core/validation";
import { suppressionsFor } from "../../modules/policy/suppressions";

type Json = Record<string, any>;

const PROPS: TierTlsSlotsProps = { region: "us-east-1", name: "shop-dev-stage3", tier: "web", addresses: ["10.30.64.20", "10.30.80.20"] };

function build(overrides: Partial<TierTlsSlotsProps> = {}): { json: Json; slots: TierTlsSlots } {
  const app = Testing.app();
  const stack = new TerraformStack(app, "slots-test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const slots = new TierTlsSlots(stack, "web-tls", { ...PROPS, ...overrides });
  // Outputs resolve the statements' tokens into the synthesized references.
  new TerraformOutput(stack, "publish", { value: slots.publishStatement });
  new TerraformOutput(stack, "read", { value: slots.readStatement });
  return { json: JSON.parse(Testing.synth(stack)), slots };
}

const parameters = (json: Json): [string, Json][] => Object.entries(json.resource.aws_ssm_parameter ?? {});

describe("TierTlsSlots", () => {
  it("one slot per server, /<name>/tls/<tier>/<ip>: a String holding a placeholder, described, whose value Terraform never reads back", () => {
    const { json } = build();
    const slots = parameters(json).map(([, p]) => p);
    expect(slots.map((p) => p.name)).toEqual(["/shop-dev-stage3/tls/web/10.30.64.20", "/shop-dev-stage3/tls/web/10.30.80.20"]);
    for (const [p, ip] of slots.map((p, i) => [p, PROPS.addresses[i]] as const)) {
      expect(p.type).toBe("String");
      expect(p.value).toBe("pending: the server publishes its certificate here at first boot");
      expect(p.description).toBe(`TLS certificate (public part only) of the web server ${ip}, pinned by its callers`);
      expect(p.lifecycle.ignore_changes).toEqual(["value"]);
    }
    // Resource ids carry the address with dashes (dots are not allowed in them).
    expect(parameters(json).map(([id]) => id).every((id) => /10-30-(64|80)-20/.test(id))).toBe(true);
  });

  it("each slot's unencrypted String type is an audited suppression: it holds only the public certificate", () => {
    const { slots } = build();
    const slotConstructs = slots.node.children;
    expect(slotConstructs).toHaveLength(2);
    for (const slot of slotConstructs) {
      expect(suppressionsFor(slot)).toEqual([
        expect.objectContaining({
          rule_id: "SSM-SECRET-PARAMETER-ENCRYPTED",
          reason: "Holds only the server's public certificate (the key never leaves the host); encrypting it would add decrypt grants to every caller and protect nothing",
        }),
      ]);
    }
  });

  it("settings: the tier's server name <tier>.<name>.internal, the slots' prefix and region", () => {
    const { slots } = build({ name: "Shop-Dev-Stage3", region: "eu-west-1" });
    expect(slots.settings).toEqual({ serverName: "web.shop-dev-stage3.internal", parameterPrefix: "/Shop-Dev-Stage3/tls/web", region: "eu-west-1" });
  });

  it("\"the tier's servers may read and write their tier's slots, nothing else; callers may read them, nothing else\"", () => {
    const { json } = build({ tier: "app" });
    const arns = parameters(json).map(([id]) => `\${aws_ssm_parameter.${id}.arn}`);
    expect(arns).toHaveLength(2);
    expect(json.output.publish.value).toEqual({ Sid: "PublishAppTlsCertificate", Effect: "Allow", Action: ["ssm:GetParameter", "ssm:PutParameter"], Resource: arns });
    expect(json.output.read.value).toEqual({ Sid: "PinAppTlsCertificates", Effect: "Allow", Action: ["ssm:GetParameters"], Resource: arns });
  });

  it("accepts tier names of 1 to 16 characters with digits and dashes", () => {
    expect(build({ tier: "a", addresses: ["10.30.64.20"] }).slots.settings.serverName).toBe("a.shop-dev-stage3.internal");
    expect(build({ tier: "a1234567890-bcde", addresses: ["10.30.64.20"] }).slots.settings.parameterPrefix).toBe("/shop-dev-stage3/tls/a1234567890-bcde");
  });

  describe("\"Validation errors\" name field, value and what is allowed", () => {
    it.each([
      ["a region token", { region: Lazy.stringValue({ produce: () => "us-east-1" }) }, 'web-tls.region: "<unresolved token>" is not allowed; expected a concrete value known at synth time (not a resource attribute)'],
      ["an upper-case tier", { tier: "Web" }, 'web-tls.tier: "Web" is not allowed; expected a lower-case tier name such as web or app'],
      ["a tier starting with a digit", { tier: "1web" }, 'web-tls.tier: "1web" is not allowed'],
      ["a tier with a trailing slash", { tier: "web/" }, 'web-tls.tier: "web/" is not allowed'],
      ["a tier of 17 characters", { tier: "a1234567890-bcdef" }, 'web-tls.tier: "a1234567890-bcdef" is not allowed'],
      ["an empty tier", { tier: "" }, 'web-tls.tier: "" is not allowed'],
      ["no addresses", { addresses: [] }, "web-tls.addresses: [] is not allowed; expected at least one server IP"],
    ])("rejects %s", (_name, overrides, message) => {
      expect(() => build(overrides as Partial<TierTlsSlotsProps>)).toThrow(InvalidInputError);
      expect(() => build(overrides as Partial<TierTlsSlotsProps>)).toThrow(message);
    });
  });
});
