import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { ConfigError, DEFAULT_CONFIG, configProblems, deepMerge, isApexDomain, loadConfig } from "../../stacks/config";

function problemsWith(overrides: unknown): string[] {
  return configProblems(deepMerge(DEFAULT_CONFIG, overrides));
}

function expectRejected(overrides: unknown, field: string, value: string): void {
  const problems = problemsWith(overrides);
  expect(problems.length).toBeGreaterThan(0);
  expect(problems.join("\n")).toContain(`${field}: ${value}`);
  expect(() => loadConfig({ file: "", overrides, profile: "" })).toThrow(ConfigError);
}

describe("InfraConfig defaults", () => {
  it("are valid and need no file", () => {
    expect(configProblems(DEFAULT_CONFIG)).toEqual([]);
    expect(loadConfig({ file: "", profile: "" })).toEqual(DEFAULT_CONFIG);
  });
  it("keep admin surfaces off the internet and use two regions", () => {
    expect(DEFAULT_CONFIG.access.adminCidrs).not.toContain("0.0.0.0/0");
    expect(DEFAULT_CONFIG.primaryRegion).not.toEqual(DEFAULT_CONFIG.secondaryRegion);
    expect(DEFAULT_CONFIG.instanceTypes.web).toBe("t3.micro");
  });
  it("offline profile pins AMIs per region and disables Namecheap", () => {
    const offline = loadConfig({ file: "", profile: "offline" });
    expect(offline.offline).toBe(true);
    expect(offline.dns.enabled).toBe(false);
    expect(offline.ami.mode).toBe("ids");
    expect(Object.keys(offline.ami.ids).sort()).toEqual(["us-east-1", "us-west-2"]);
  });
});

describe("overrides", () => {
  it("\"objects merge key by key, lists and scalars replace\"", () => {
    const merged = deepMerge(DEFAULT_CONFIG, { network: { azCount: 3 }, dns: { hostnames: ["www"] } });
    expect(merged.network.azCount).toBe(3);
    expect(merged.network.primaryCidr).toBe(DEFAULT_CONFIG.network.primaryCidr);
    expect(merged.dns.hostnames).toEqual(["www"]);
  });
  it("come from the JSON file named by INFRA_CONFIG", () => {
    const dir = mkdtempSync(join(tmpdir(), "cfg-"));
    const file = join(dir, "infra.json");
    writeFileSync(file, JSON.stringify({ domain: "example.org", fleet: { webServers: 6 } }));
    const previous = process.env.INFRA_CONFIG;
    process.env.INFRA_CONFIG = file;
    try {
      const config = loadConfig({ profile: "" });
      expect(config.domain).toBe("example.org");
      expect(config.fleet.webServers).toBe(6);
      expect(config.fleet.appServers).toBe(DEFAULT_CONFIG.fleet.appServers);
    } finally {
      if (previous === undefined) delete process.env.INFRA_CONFIG;
      else process.env.INFRA_CONFIG = previous;
    }
  });
  it("reject a file that is not JSON, naming the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "cfg-"));
    const file = join(dir, "broken.json");
    writeFileSync(file, "{ domain: ");
    expect(() => loadConfig({ file, profile: "" })).toThrow(/INFRA_CONFIG: .*broken\.json" is not valid JSON at line 1, column 3/);
  });
  it("reject a missing file", () => {
    expect(() => loadConfig({ file: "/nonexistent/infra.json", profile: "" })).toThrow(/INFRA_CONFIG: cannot read/);
  });
  it("reject an unknown profile", () => {
    expect(() => loadConfig({ file: "", profile: "offlne" })).toThrow(/INFRA_PROFILE: "offlne" is not allowed/);
  });
  it("report every problem at once", () => {
    const problems = problemsWith({ domain: "Bad", dns: { ttl: 5 } });
    expect(problems).toHaveLength(2);
  });
});

describe("rejected inputs name the field, the value and what is allowed", () => {
  it.each([
    ["invalid VPC CIDR", { network: { primaryCidr: "10.10.0.0/33" } }, "network.primaryCidr", '"10.10.0.0/33"'],
    ["CIDR with host bits", { network: { primaryCidr: "10.10.1.0/16" } }, "network.primaryCidr", '"10.10.1.0/16"'],
    ["CIDR that is not one", { network: { secondaryCidr: "ten.0.0.0/16" } }, "network.secondaryCidr", '"ten.0.0.0/16"'],
    ["VPC wider than /16", { network: { primaryCidr: "10.0.0.0/8" } }, "network.primaryCidr", '"10.0.0.0/8"'],
    ["overlapping VPC CIDRs", { network: { secondaryCidr: "10.10.128.0/17" } }, "network.secondaryCidr", '"10.10.128.0/17"'],
    ["same region twice", { secondaryRegion: "us-east-1" }, "secondaryRegion", '"us-east-1"'],
    ["unknown region", { primaryRegion: "moon-east-1" }, "primaryRegion", '"moon-east-1"'],
    ["web fleet of zero", { fleet: { webServers: 0 } }, "fleet.webServers", "0"],
    ["app fleet of 1.5", { fleet: { appServers: 1.5 } }, "fleet.appServers", "1.5"],
    ["TTL below 60", { dns: { ttl: 59 } }, "dns.ttl", "59"],
    ["TTL above 60000", { dns: { ttl: 60001 } }, "dns.ttl", "60001"],
    ["domain with a subdomain", { domain: "www.example.com" }, "domain", '"www.example.com"'],
    ["uppercase domain", { domain: "Example.com" }, "domain", '"Example.com"'],
    ["domain without TLD", { domain: "localhost" }, "domain", '"localhost"'],
    ["uppercase hostname", { dns: { hostnames: ["WWW"] } }, "dns.hostnames[0]", '"WWW"'],
    ["no hostnames", { dns: { hostnames: [] } }, "dns.hostnames", "[]"],
    ["malformed instance type", { instanceTypes: { web: "t3micro" } }, "instanceTypes.web", '"t3micro"'],
    ["RDS class without db.", { instanceTypes: { database: "t3.micro" } }, "instanceTypes.database", '"t3.micro"'],
    ["admin CIDR open to the internet", { access: { adminCidrs: ["0.0.0.0/0"] } }, "access.adminCidrs[0]", '"0.0.0.0/0"'],
    ["admin CIDR /1", { access: { adminCidrs: ["0.0.0.0/1"] } }, "access.adminCidrs[0]", '"0.0.0.0/1"'],
    ["no admin CIDR", { access: { adminCidrs: [] } }, "access.adminCidrs", "[]"],
    ["AZ count 0", { network: { azCount: 0 } }, "network.azCount", "0"],
    ["AZ of another region", { network: { availabilityZones: { "us-east-1": ["us-west-2a", "us-west-2b"] } } }, "network.availabilityZones.us-east-1", '["us-west-2a","us-west-2b"]'],
    ["unknown NAT mode", { network: { natGateways: "many" } }, "network.natGateways", '"many"'],
    ["flow log retention CloudWatch refuses", { network: { flowLogRetentionDays: 42 } }, "network.flowLogRetentionDays", "42"],
    ["malformed AMI id", { ami: { mode: "ids", ids: { "us-east-1": "ami-xyz", "us-west-2": "ami-0123456789abcdef0" } } }, "ami.ids.us-east-1", '"ami-xyz"'],
    ["AMI ids missing a region", { ami: { mode: "ids", ids: { "us-east-1": "ami-0123456789abcdef0" } } }, "ami.ids", "{\"us-east-1\":\"ami-0123456789abcdef0\"}"],
    ["unknown AMI mode", { ami: { mode: "latest" } }, "ami.mode", '"latest"'],
    ["backups switched off", { database: { backupRetentionDays: 0 } }, "database.backupRetentionDays", "0"],
    ["unknown engine", { database: { engine: "oracle" } }, "database.engine", '"oracle"'],
    ["project name with capitals", { project: "WebPlat" }, "project", '"WebPlat"'],
    ["bad state bucket", { state: { bucket: "My_Bucket" } }, "state.bucket", '"My_Bucket"'],
    ["absolute local state dir", { state: { localDir: "/var/state" } }, "state.localDir", '"/var/state"'],
    ["local state dir outside the project", { state: { localDir: "../state" } }, "state.localDir", '"../state"'],
    ["certificate e-mail", { certificateEmail: "admin" }, "certificateEmail", '"admin"'],
  ])("%s", (_label, overrides, field, value) => expectRejected(overrides, field, value));

  it("rejects a misspelled field instead of ignoring it", () => {
    expect(problemsWith({ network: { primaryCidrr: "10.0.0.0/16" } }).join("\n")).toContain('network: unknown field "primaryCidrr"; expected one of primaryCidr');
  });
  it("rejects an object where a scalar belongs", () => {
    expect(problemsWith({ domain: { name: "example.com" } }).join("\n")).toContain("domain");
  });
});

describe("isApexDomain", () => {
  it.each(["example.com", "my-site.io", "example.co.uk"])("accepts %s", (d) => expect(isApexDomain(d)).toBe(true));
  it.each(["www.example.com", "example", "-x.com", "example.com.", "a.b.co.uk"])("rejects %s", (d) => expect(isApexDomain(d)).toBe(false));
});
