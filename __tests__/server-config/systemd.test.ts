/**
 * renderPeriodicJob (modules/server-config/systemd.ts): the .service/.timer pair behind the load balancers' backend
 * sync and certificate renewal and every tier's TLS identity and trust sync. What the units say is read back section
 * by section; `systemd-analyze verify` checks the pair at its extreme values; each refusal names field, value and
 * what is allowed.
 */
import { renderPeriodicJob, PeriodicJobParams } from "../../modules/server-config/systemd";
import { InvalidInputError } from "../../modules/core/validation";
import { checkSystemdUnits } from "../support/validators";
import { describeWithTools } from "../support/tools";
import { readUnitSections } from "../support/systemd-unit";

const base: PeriodicJobParams = {
  name: "haproxy-backend-sync",
  description: "Sync HAProxy backends from SSM",
  command: "/usr/local/sbin/haproxy-backend-sync",
  firstRunAfterBootSeconds: 30,
  everySeconds: 60,
};

describe("renderPeriodicJob: the units", () => {
  it("writes <name>.service and <name>.timer to /etc/systemd/system, in that order", () => {
    expect(renderPeriodicJob(base).map((f) => f.path)).toEqual([
      "/etc/systemd/system/haproxy-backend-sync.service",
      "/etc/systemd/system/haproxy-backend-sync.timer",
    ]);
  });
  it("the service runs the command once per activation, after the network is up", () => {
    expect(readUnitSections(renderPeriodicJob(base)[0].content)).toEqual({
      Unit: {
        Description: ["Sync HAProxy backends from SSM"],
        Wants: ["network-online.target"],
        After: ["network-online.target"],
      },
      Service: { Type: ["oneshot"], ExecStart: ["/usr/local/sbin/haproxy-backend-sync"] },
    });
  });
  it("the timer starts it the given seconds after boot, then every given seconds, with no random delay by default, and is enabled with timers.target", () => {
    expect(readUnitSections(renderPeriodicJob(base)[1].content)).toEqual({
      Unit: { Description: ["Sync HAProxy backends from SSM (timer)"] },
      Timer: { OnBootSec: ["30s"], OnUnitActiveSec: ["60s"], RandomizedDelaySec: ["0s"] },
      Install: { WantedBy: ["timers.target"] },
    });
  });
  it("a random delay spreads the runs", () => {
    expect(readUnitSections(renderPeriodicJob({ ...base, randomDelaySeconds: 3600 })[1].content).Timer.RandomizedDelaySec).toEqual(["3600s"]);
  });
  it("leaves the files' mode and owner to cloud-init's defaults (units are not executable)", () => {
    for (const file of renderPeriodicJob(base)) expect(Object.keys(file).sort()).toEqual(["content", "path"]);
  });
});

describeWithTools("renderPeriodicJob: systemd reads the pair at the extremes of every range", ["systemd-analyze"], false, () => {
  const extremes: [string, PeriodicJobParams][] = [
    ["the smallest values", { ...base, name: "ab", description: "x", firstRunAfterBootSeconds: 0, everySeconds: 10, randomDelaySeconds: 0 }],
    ["the largest values", { ...base, name: `a${"b".repeat(60)}`, description: "d".repeat(120), firstRunAfterBootSeconds: 86400, everySeconds: 604800, randomDelaySeconds: 86400 }],
  ];
  it.each(extremes)("%s", (_label, params) => {
    const units = Object.fromEntries(renderPeriodicJob(params).map((f) => [f.path, f.content]));
    expect(checkSystemdUnits(units)).toEqual({ ok: true, output: "" });
  });
});

describe("renderPeriodicJob: refused inputs", () => {
  const refusals: [string, PeriodicJobParams, string][] = [
    ["an upper-case name", { ...base, name: "Job" }, 'systemd.name: "Job" is not allowed; expected a unit name of lower-case letters, digits and -'],
    ["a one-letter name", { ...base, name: "a" }, 'systemd.name: "a" is not allowed; expected a unit name of lower-case letters, digits and -'],
    ["a name of 62 characters", { ...base, name: `a${"b".repeat(61)}` }, `systemd.name: "a${"b".repeat(61)}" is not allowed; expected a unit name of lower-case letters, digits and -`],
    ["a name starting with a digit", { ...base, name: "1job" }, 'systemd.name: "1job" is not allowed; expected a unit name of lower-case letters, digits and -'],
    ["a name with a dot (a second suffix)", { ...base, name: "job.service" }, 'systemd.name: "job.service" is not allowed; expected a unit name of lower-case letters, digits and -'],
    ["a name with text after it", { ...base, name: "job\n[Service]" }, 'systemd.name: "job\\n[Service]" is not allowed; expected a unit name of lower-case letters, digits and -'],
    ["a multi-line description (a second setting)", { ...base, description: "a\nExecStartPre=/bin/sh" }, 'systemd.description: "a\\nExecStartPre=/bin/sh" is not allowed; expected one line of at most 120 characters'],
    ["an empty description", { ...base, description: "" }, 'systemd.description: "" is not allowed; expected one line of at most 120 characters'],
    ["a description of 121 characters", { ...base, description: "d".repeat(121) }, `systemd.description: "${"d".repeat(121)}" is not allowed; expected one line of at most 120 characters`],
    ["a relative command", { ...base, command: "job" }, 'systemd.command: "job" is not allowed; expected an absolute path of letters, digits, . _ - and /'],
    ["a command with arguments", { ...base, command: "/bin/sh -c reboot" }, 'systemd.command: "/bin/sh -c reboot" is not allowed; expected an absolute path of letters, digits, . _ - and /'],
    ["a negative boot delay", { ...base, firstRunAfterBootSeconds: -1 }, "systemd.firstRunAfterBootSeconds: -1 is not allowed; expected an integer from 0 to 86400"],
    ["a boot delay over a day", { ...base, firstRunAfterBootSeconds: 86401 }, "systemd.firstRunAfterBootSeconds: 86401 is not allowed; expected an integer from 0 to 86400"],
    ["an interval below 10 s", { ...base, everySeconds: 9 }, "systemd.everySeconds: 9 is not allowed; expected an integer from 10 to 604800"],
    ["an interval over a week", { ...base, everySeconds: 604801 }, "systemd.everySeconds: 604801 is not allowed; expected an integer from 10 to 604800"],
    ["a fractional interval", { ...base, everySeconds: 60.5 }, "systemd.everySeconds: 60.5 is not allowed; expected an integer from 10 to 604800"],
    ["a negative random delay", { ...base, randomDelaySeconds: -1 }, "systemd.randomDelaySeconds: -1 is not allowed; expected an integer from 0 to 86400"],
    ["a random delay over a day", { ...base, randomDelaySeconds: 86401 }, "systemd.randomDelaySeconds: 86401 is not allowed; expected an integer from 0 to 86400"],
  ];
  it.each(refusals)("refuses %s", (_label, params, message) => {
    expect(() => renderPeriodicJob(params)).toThrow(InvalidInputError);
    expect(() => renderPeriodicJob(params)).toThrow(message);
  });
});
