import { DEFAULT_CONFIG, configProblems, deepMerge } from "../../stacks/config";

function problemsWith(overrides: unknown): string[] {
  return configProblems(deepMerge(DEFAULT_CONFIG, overrides));
}

const cap = (min: number, desired: number, max: number) => ({ min, desired, max });

describe("warmStandby config", () => {
  test("defaults are valid and run the DR region below the primary", () => {
    expect(configProblems(DEFAULT_CONFIG)).toEqual([]);
    const ws = DEFAULT_CONFIG.warmStandby;
    for (const tier of ["frontend", "backend"] as const) {
      expect(ws.drCapacity[tier].desired).toBeLessThan(ws.primaryCapacity[tier].desired);
      expect(ws.drCapacity[tier].max).toBeGreaterThanOrEqual(ws.primaryCapacity[tier].max);
    }
  });

  const rejected: [string, unknown, string][] = [
    ["subdomain", { subdomain: "App.Example" }, 'warmStandby.subdomain: "App.Example"'],
    ["apiHostname", { apiHostname: "api.v1" }, 'warmStandby.apiHostname: "api.v1"'],
    ["capacity shape", { primaryCapacity: { frontend: { min: "one" } } }, "warmStandby.primaryCapacity.frontend.min: \"one\" is not allowed; expected an integer"],
    ["min below 1", { drCapacity: { backend: cap(0, 1, 6) } }, "warmStandby.drCapacity.backend.min: 0"],
    ["desired above max", { primaryCapacity: { frontend: cap(2, 8, 6) } }, "warmStandby.primaryCapacity.frontend.desired: 8"],
    ["max above 100", { primaryCapacity: { backend: cap(2, 2, 101) } }, "warmStandby.primaryCapacity.backend.max: 101"],
    ["DR desired not below primary", { drCapacity: { frontend: cap(1, 2, 6) } }, "warmStandby.drCapacity.frontend.desired: 2"],
    ["DR min above primary min", { drCapacity: { backend: cap(3, 1, 6) } }, "warmStandby.drCapacity.backend.min: 3"],
    ["DR max below primary desired", { drCapacity: { frontend: cap(1, 1, 1) } }, "warmStandby.drCapacity.frontend.max: 1"],
    ["DR max below primary max", { drCapacity: { frontend: cap(1, 1, 5) } }, "warmStandby.drCapacity.frontend.max: 5 is not allowed; expected at least warmStandby.primaryCapacity.frontend.max (6), so a promoted DR region can take the full load"],
    ["databaseHostname", { databaseHostname: "db.internal" }, 'warmStandby.databaseHostname: "db.internal"'],
    ["cacheNodeType", { cacheNodeType: "t3.micro" }, 'warmStandby.cacheNodeType: "t3.micro"'],
    ["bastionMode", { bastionMode: "vpn" }, 'warmStandby.bastionMode: "vpn"'],
    ["albDeletionProtection", { albDeletionProtection: "yes" }, 'warmStandby.albDeletionProtection: "yes"'],
    ["backupSchedule", { backupSchedule: "daily" }, 'warmStandby.backupSchedule: "daily"'],
    ["backupRetentionDays", { backupRetentionDays: 3 }, "warmStandby.backupRetentionDays: 3"],
    ["frontendHealthCheckPath", { frontendHealthCheckPath: "health" }, 'warmStandby.frontendHealthCheckPath: "health"'],
    ["backendHealthCheckPath", { backendHealthCheckPath: "/a b" }, 'warmStandby.backendHealthCheckPath: "/a b"'],
    ["unknown field", { replicas: 2 }, "warmStandby: unknown field \"replicas\""],
  ];
  test.each(rejected)("rejects %s", (_, warmStandby, expected) => {
    expect(problemsWith({ warmStandby }).join("\n")).toContain(expected);
  });

  test("rejects a bastion when SSH is turned off (the default), and Session Manager, which cannot work on Debian 12", () => {
    expect(problemsWith({ warmStandby: { bastionMode: "bastion" } }).join("\n")).toContain('warmStandby.bastionMode: "bastion" is not allowed; expected "instance-connect" when access.ssh is false');
    expect(problemsWith({ access: { ssh: true }, warmStandby: { bastionMode: "bastion" } })).toEqual([]);
    expect(problemsWith({})).toEqual([]);
    expect(problemsWith({ warmStandby: { bastionMode: "session-manager" } }).join("\n")).toContain('warmStandby.bastionMode: "session-manager" is not allowed');
  });
});
