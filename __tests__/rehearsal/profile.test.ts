/**
 * The rehearsal profile (INFRA_PROFILE=rehearsal): every AWS endpoint of every
 * provider alias → the local emulator, no credential in the JSON, deletion
 * protection lifted for the rehearsal only.
 */
import { loadConfig } from "../../stacks/config";
import { DEFAULT_CONFIG } from "../../stacks/config/defaults";
import { synthStack } from "../support/synth";

const URL = "http://127.0.0.1:45678";
const rehearsal = () => loadConfig({ file: "", profile: "rehearsal", emulatorEndpoint: URL });

describe("rehearsal profile", () => {
  it("needs the emulator's URL", () => {
    expect(() => loadConfig({ file: "", profile: "rehearsal", emulatorEndpoint: "" })).toThrow(/"rehearsal" needs REHEARSAL_ENDPOINT/);
  });

  it("refuses an endpoint that is not on loopback", () => {
    expect(() => loadConfig({ file: "", profile: "rehearsal", emulatorEndpoint: "https://ec2.amazonaws.com" })).toThrow(/emulatorEndpoint/);
  });

  it("lifts deletion protection for the rehearsal only; production defaults keep it", () => {
    const config = rehearsal();
    expect(config.database.deletionProtection).toBe(false);
    expect(config.warmStandby.albDeletionProtection).toBe(false);
    expect(config.offline).toBe(true);
    expect(DEFAULT_CONFIG.database.deletionProtection).toBe(true);
    expect(DEFAULT_CONFIG.warmStandby.albDeletionProtection).toBe(true);
    expect(DEFAULT_CONFIG.emulatorEndpoint).toBe("");
  });

  it("points every service of every provider alias at the emulator, without credentials in the JSON", () => {
    const json = synthStack("stage4-warm-standby", rehearsal());
    const providers = json.provider!.aws;
    expect(providers.length).toBeGreaterThanOrEqual(2);
    for (const provider of providers) {
      const endpoints = (provider.endpoints as Record<string, string>[])[0];
      expect(Object.keys(endpoints).length).toBeGreaterThan(200);
      for (const service of ["ec2", "iam", "sts", "ssm", "kms", "logs", "rds", "elbv2", "autoscaling", "route53", "acm", "cloudfront", "wafv2", "backup", "elasticache", "s3", "secretsmanager"]) {
        expect(endpoints[service]).toBe(URL);
      }
      // One name per service: an alias next to its service makes the provider warn at every plan.
      expect(endpoints.cloudwatchlogs).toBeUndefined();
      expect(new Set(Object.values(endpoints))).toEqual(new Set([URL]));
      expect(provider.s3_use_path_style).toBe(true);
      expect(provider.access_key).toBeUndefined();
      expect(provider.secret_key).toBeUndefined();
    }
  });

  it("leaves a normal synth without endpoints", () => {
    const json = synthStack("stage0-single-server", loadConfig({ file: "", profile: "offline" }));
    for (const provider of json.provider!.aws) expect(provider.endpoints).toBeUndefined();
  });
});
