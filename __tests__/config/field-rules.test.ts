/**
 * Field rules of the real schema whose edge matters for security or for a host's config: each refusal word for word,
 * and the value at the edge accepted. Validation alone, no synth.
 */
import { configProblems } from "../../stacks/config";

describe("field rules at their edges", () => {
  test("\"access.adminCidrs\": a /8 is the widest admin range; a /7 (or 0.0.0.0/0) is refused: admin ports never open to the internet", () => {
    expect(configProblems({ access: { adminCidrs: ["10.0.0.0/8"] } })).toEqual([]);
    expect(configProblems({ access: { adminCidrs: ["10.0.0.0/7", "0.0.0.0/0"] } })).toEqual([
      'access.adminCidrs[0]: "10.0.0.0/7" is not allowed; expected a range no wider than /8: SSH, Grafana and Prometheus must not be open to the internet',
      'access.adminCidrs[1]: "0.0.0.0/0" is not allowed; expected a range no wider than /8: SSH, Grafana and Prometheus must not be open to the internet',
    ]);
  });

  test("\"alerts.webhookUrl\": an http(s) URL or empty; anything else is refused before it reaches the monitoring host's user data", () => {
    expect(configProblems({ alerts: { webhookUrl: "" } })).toEqual([]);
    expect(configProblems({ alerts: { webhookUrl: "https://hooks.example.com/alert" } })).toEqual([]);
    expect(configProblems({ alerts: { webhookUrl: "ftp://hooks.example.com/alert" } })).toEqual([
      'alerts.webhookUrl: "ftp://hooks.example.com/alert" is not allowed; expected an http(s) URL without spaces or quotes, or empty',
    ]);
    expect(configProblems({ alerts: { webhookUrl: 'https://hooks.example.com/"; rm -rf /' } })).toEqual([
      'alerts.webhookUrl: "https://hooks.example.com/\\"; rm -rf /" is not allowed; expected an http(s) URL without spaces or quotes, or empty',
    ]);
  });
});
