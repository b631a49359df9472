/**
 * The rules that relate configuration fields to each other (README, "Configuration": CROSS_FIELD_RULES), each
 * checked on the validation alone, without a synth: the exact problem, naming the field, the value and what is
 * allowed. The synth-based files (wrong-input-classes, environments, random-mutations) show the same refusals end to
 * end; this one is fast enough for the mutation target.
 */
import { ConfigError, configProblems, isApexDomain, validateConfig } from "../../stacks/config";

const problem = (field: string, value: string, allowed: string) => `${field}: ${value} is not allowed; expected ${allowed}`;

describe("the cross-field rules of the configuration, each with its exact problem", () => {
  test("\"`primaryRegion`, `secondaryRegion` … are AWS regions this release knows, or listed in `extraRegions`; the two regions differ\"", () => {
    expect(configProblems({ primaryRegion: "mars-north-1" })).toEqual([
      problem("primaryRegion", '"mars-north-1"', "an AWS region (us-east-1, us-east-2, us-west-1, us-west-2, …); a region newer than this release: add it to extraRegions"),
    ]);
    expect(configProblems({ primaryRegion: "mars-north-1", extraRegions: ["mars-north-1"] })).toEqual([]);
    expect(configProblems({ secondaryRegion: "us-east-1" })).toEqual([
      problem("secondaryRegion", '"us-east-1"', "a region other than primaryRegion (us-east-1): peering and DR need two regions"),
    ]);
  });

  test("\"`state.bucketRegion` [is an AWS region] this release knows, or listed in `extraRegions`\"", () => {
    expect(configProblems({ state: { bucketRegion: "mars-north-1" } })).toEqual([problem("state.bucketRegion", '"mars-north-1"', "an AWS region, or empty for the primary region")]);
    expect(configProblems({ state: { bucketRegion: "mars-north-1" }, extraRegions: ["mars-north-1"] })).toEqual([]);
  });

  test("\"`network.primaryCidr` and `network.secondaryCidr` are /16 to /21\"", () => {
    const allowed = "a prefix from /16 to /21: each VPC is split into 16 subnets, and fixed addresses go up to host number 120 of a subnet";
    expect(configProblems({ network: { primaryCidr: "10.0.0.0/15", secondaryCidr: "10.100.0.0/22" } })).toEqual([
      problem("network.primaryCidr", '"10.0.0.0/15"', allowed),
      problem("network.secondaryCidr", '"10.100.0.0/22"', allowed),
    ]);
    expect(configProblems({ network: { primaryCidr: "10.0.0.0/16", secondaryCidr: "10.100.0.0/21" } })).toEqual([]);
  });

  test("\"the 5 blocks of each must fit … inside [their] private range\"", () => {
    expect(configProblems({ network: { primaryCidr: "10.255.0.0/16" } })).toEqual([
      problem("network.primaryCidr", '"10.255.0.0/16"', "a range with room for 4 more blocks of its size after it, inside its private range (stage N's VPC is the N-th)"),
    ]);
  });

  test("\"the primary's must not overlap the secondary's\": the problem lists both ranges' stage blocks and the first overlap", () => {
    expect(configProblems({ network: { primaryCidr: "10.10.0.0/16", secondaryCidr: "10.12.0.0/16" } })).toEqual([
      problem("network.secondaryCidr", '"10.12.0.0/16"', "a range whose stage blocks (10.12.0.0/16, 10.13.0.0/16, 10.14.0.0/16, 10.15.0.0/16, 10.16.0.0/16) do not overlap network.primaryCidr's (10.10.0.0/16, 10.11.0.0/16, 10.12.0.0/16, 10.13.0.0/16, 10.14.0.0/16); 10.12.0.0/16 and 10.12.0.0/16 overlap"),
    ]);
    expect(configProblems({ network: { primaryCidr: "10.10.0.0/16", secondaryCidr: "10.15.0.0/16" } })).toEqual([]);
    // Blocks that do not fit are reported on their own; the overlap names only the blocks there are.
    expect(configProblems({ network: { primaryCidr: "10.254.0.0/16", secondaryCidr: "10.255.0.0/16" } })).toEqual([
      problem("network.primaryCidr", '"10.254.0.0/16"', "a range with room for 4 more blocks of its size after it, inside its private range (stage N's VPC is the N-th)"),
      problem("network.secondaryCidr", '"10.255.0.0/16"', "a range with room for 4 more blocks of its size after it, inside its private range (stage N's VPC is the N-th)"),
      problem("network.secondaryCidr", '"10.255.0.0/16"', "a range whose stage blocks (10.255.0.0/16) do not overlap network.primaryCidr's (10.254.0.0/16, 10.255.0.0/16); 10.255.0.0/16 and 10.255.0.0/16 overlap"),
    ]);
  });

  describe("\"Each region has at least `network.azCount` zones\"", () => {
    test("listed zones must be names of that region", () => {
      expect(configProblems({ network: { availabilityZones: { "us-east-1": ["us-east-1a", "us-west-2b"] } } })).toEqual([
        problem("network.availabilityZones.us-east-1", '["us-east-1a","us-west-2b"]', "zone names of us-east-1, such as us-east-1a"),
      ]);
    });
    test("listed zones: at least azCount of them", () => {
      expect(configProblems({ network: { azCount: 3, availabilityZones: { "us-east-1": ["us-east-1a", "us-east-1b"] } } })).toEqual([
        problem("network.availabilityZones.us-east-1", '["us-east-1a","us-east-1b"]', "at least network.azCount (3) zone names of us-east-1"),
      ]);
      expect(configProblems({ network: { azCount: 2, availabilityZones: { "us-east-1": ["us-east-1a", "us-east-1c"] } } })).toEqual([]);
    });
    test("default zones: at most as many as the region has (ca-central-1 has three)", () => {
      expect(configProblems({ secondaryRegion: "ca-central-1", network: { azCount: 4 } })).toEqual([
        problem("network.azCount", "4", "at most 3 in ca-central-1 unless network.availabilityZones.ca-central-1 lists more zones"),
      ]);
      expect(configProblems({ secondaryRegion: "ca-central-1", network: { azCount: 3 } })).toEqual([]);
    });
    test("\"us-west-1 has none: list them\"", () => {
      expect(configProblems({ secondaryRegion: "us-west-1" })).toEqual([
        problem("network.azCount", "2", "zone names for us-west-1 in network.availabilityZones.us-west-1: its zone letters differ per account"),
      ]);
      expect(configProblems({ secondaryRegion: "us-west-1", network: { availabilityZones: { "us-west-1": ["us-west-1b", "us-west-1c"] } } })).toEqual([]);
    });
    test("every key of availabilityZones is a known region", () => {
      expect(configProblems({ network: { availabilityZones: { "mars-north-1": ["mars-north-1a"] } } })).toEqual([
        problem("network.availabilityZones", '"mars-north-1"', "keys that are AWS regions"),
      ]);
    });
  });

  test("\"`ami.mode: \\\"ids\\\"` needs `ami.ids` for both regions\"", () => {
    const ids = { "us-east-1": "ami-0123456789abcdef0" };
    expect(configProblems({ ami: { mode: "ids", ids } })).toEqual([problem("ami.ids", JSON.stringify(ids), 'an AMI id for us-west-2 (ami.mode is "ids")')]);
    expect(configProblems({ ami: { mode: "ids", ids: { ...ids, "us-west-2": "ami-0123456789abcdef1" } } })).toEqual([]);
  });

  test("\"`dns.hostnames` are relative to `domain`\": the problem says which relative name publishes it", () => {
    expect(configProblems({ dns: { hostnames: ["www", "example.com", "shop.example.com", "example.community"] } })).toEqual([
      problem("dns.hostnames[1]", '"example.com"', 'a name relative to domain (example.com): "@" publishes example.com'),
      problem("dns.hostnames[2]", '"shop.example.com"', 'a name relative to domain (example.com): "shop" publishes shop.example.com'),
    ]);
  });

  describe("\"`application.artifact` needs `application.sha256` and `application.command`\"", () => {
    test("an artifact without them", () => {
      expect(configProblems({ application: { artifact: "s3://releases/app.tar.gz" } })).toEqual([
        problem("application.sha256", '""', "the archive's SHA-256 (sha256sum) when application.artifact is set"),
        problem("application.command", '""', "the start command inside the release when application.artifact is set"),
      ]);
    });
    test("\"without an artifact … the other `application` fields stay empty\"", () => {
      expect(configProblems({ application: { sha256: "a".repeat(64), command: "bin/app", environment: { A: "1" }, packages: ["curl"] } })).toEqual([
        problem("application.sha256", JSON.stringify("a".repeat(64)), "empty unless application.artifact names your release"),
        problem("application.command", '"bin/app"', "empty unless application.artifact names your release"),
        problem("application.environment", '{"A":"1"}', "empty unless application.artifact names your release"),
        problem("application.packages", '["curl"]', "empty unless application.artifact names your release"),
      ]);
    });
    test("\"`application.environment` may not set names the platform sets\"", () => {
      const allowed = "a name the platform does not set itself (not APP_LISTEN, DB_*, RELEASE_*, AWS_*, PATH, CREDENTIALS_DIRECTORY)";
      const release = { artifact: "s3://releases/app.tar.gz", sha256: "a".repeat(64), command: "bin/app" };
      expect(configProblems({ application: { ...release, environment: { DB_HOST: "x", APP_LISTEN: "y", SHOP_MODE: "z" } } })).toEqual([
        problem("application.environment", '"DB_HOST"', allowed),
        problem("application.environment", '"APP_LISTEN"', allowed),
      ]);
      expect(configProblems({ application: { ...release, environment: { SHOP_MODE: "z" } } })).toEqual([]);
    });
  });

  describe("\"`warmStandby`: for each tier, `min ≤ desired ≤ max`\" and the DR region below the primary", () => {
    test("desired outside min..max, and max below min", () => {
      expect(configProblems({ warmStandby: { primaryCapacity: { frontend: { min: 3, desired: 2, max: 4 }, backend: { min: 3, desired: 3, max: 2 } } } })).toEqual([
        problem("warmStandby.primaryCapacity.frontend.desired", "2", "an integer from min (3) to max (4)"),
        problem("warmStandby.primaryCapacity.backend.desired", "3", "an integer from min (3) to max (2)"),
        problem("warmStandby.primaryCapacity.backend.max", "2", "an integer from min (3) to 100"),
      ]);
      expect(configProblems({ warmStandby: { drCapacity: { frontend: { min: 1, desired: 2, max: 1 } } } })[0]).toBe(
        problem("warmStandby.drCapacity.frontend.desired", "2", "an integer from min (1) to max (1)"),
      );
    });
    test("min = desired = max is allowed", () => {
      expect(configProblems({ warmStandby: { primaryCapacity: { frontend: { min: 4, desired: 4, max: 4 } }, drCapacity: { frontend: { min: 1, desired: 1, max: 4 } } } })).toEqual([]);
    });
    test("\"`drCapacity.desired < primaryCapacity.desired`\"", () => {
      expect(configProblems({ warmStandby: { drCapacity: { backend: { min: 1, desired: 2, max: 6 } } } })).toEqual([
        problem("warmStandby.drCapacity.backend.desired", "2", "fewer than warmStandby.primaryCapacity.backend.desired (2): the DR region runs a warm minimum"),
      ]);
    });
    test("\"`drCapacity.min ≤ primaryCapacity.min`\"", () => {
      expect(configProblems({ warmStandby: { primaryCapacity: { frontend: { min: 1, desired: 3, max: 6 } }, drCapacity: { frontend: { min: 2, desired: 2, max: 6 } } } })).toEqual([
        problem("warmStandby.drCapacity.frontend.min", "2", "at most warmStandby.primaryCapacity.frontend.min (1)"),
      ]);
      expect(configProblems({ warmStandby: { primaryCapacity: { frontend: { min: 2, desired: 3, max: 6 } }, drCapacity: { frontend: { min: 2, desired: 2, max: 6 } } } })).toEqual([]);
    });
    test("\"`drCapacity.max ≥ primaryCapacity.max`\"", () => {
      expect(configProblems({ warmStandby: { drCapacity: { backend: { min: 1, desired: 1, max: 5 } } } })).toEqual([
        problem("warmStandby.drCapacity.backend.max", "5", "at least warmStandby.primaryCapacity.backend.max (6), so a promoted DR region can take the full load"),
      ]);
    });
  });

  describe("the CI trust of the delivery path", () => {
    test("an OIDC provider without token subjects would trust every workflow of the provider", () => {
      expect(configProblems({ warmStandby: { delivery: { ciOidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" } } })).toEqual([
        problem("warmStandby.delivery.ciSubjects", "[]", "at least one token subject when ciOidcProviderArn is set (none would trust every workflow of the provider)"),
      ]);
    });
    test("token subjects without a provider", () => {
      expect(configProblems({ warmStandby: { delivery: { ciSubjects: ["repo:acme/shop:ref:refs/heads/main"] } } })).toEqual([
        problem("warmStandby.delivery.ciOidcProviderArn", '""', "the OIDC provider that issues the tokens of ciSubjects"),
      ]);
    });
    test("both, or neither", () => {
      expect(configProblems({ warmStandby: { delivery: { ciOidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com", ciSubjects: ["repo:acme/shop:ref:refs/heads/main"] } } })).toEqual([]);
      expect(configProblems({})).toEqual([]);
    });
  });

  test("\"`warmStandby.bastionMode: \\\"bastion\\\"` requires `access.ssh: true`\"", () => {
    expect(configProblems({ warmStandby: { bastionMode: "bastion" } })).toEqual([
      problem("warmStandby.bastionMode", '"bastion"', '"instance-connect" when access.ssh is false (a bastion is reached by SSH from access.adminCidrs; set access.ssh: true to keep it)'),
    ]);
    expect(configProblems({ warmStandby: { bastionMode: "bastion" }, access: { ssh: true, adminCidrs: ["203.0.113.0/24"] } })).toEqual([]);
  });

  test("a field problem stops there: the cross-field rules run only on a configuration of the right shape", () => {
    expect(configProblems({ primaryRegion: "us-east-1", secondaryRegion: "us-east-1", fleet: { appServers: "2" } })).toEqual([
      problem("fleet.appServers", '"2"', "an integer from 1 to 20"),
    ]);
  });

  test("ConfigError lists every problem, one per line, and counts them", () => {
    const one = new ConfigError(["a: 1 is not allowed; expected 2"]);
    expect(one.message).toBe("invalid configuration (1 problem):\n  - a: 1 is not allowed; expected 2");
    expect(new ConfigError(["a", "b"]).message).toBe("invalid configuration (2 problems):\n  - a\n  - b");
    expect(one.name).toBe("ConfigError");
    expect(() => validateConfig({ warmStandby: { bastionMode: "bastion" } })).toThrow(ConfigError);
  });

  test("isApexDomain: the Namecheap module's apex rule, true or false (never an error)", () => {
    expect(isApexDomain("example.com")).toBe(true);
    expect(isApexDomain("www.example.com")).toBe(false);
    expect(isApexDomain("Example.com")).toBe(false);
  });
});
