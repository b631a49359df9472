/**
 * EC2 Instance Connect files (issue 11 item 4): the keys script passes
 * shellcheck as POSIX sh, the drop-in passes `sshd -t`, and every host of
 * every stage receives both (stage 4 launch templates included).
 */
import { renderInstanceConnectKeysScript, renderInstanceConnectSshdConfig, withInstanceConnect } from "../../modules/server-config/instance-connect";
import { INSTANCE_CONNECT_KEYS_SCRIPT_PATH, INSTANCE_CONNECT_SSHD_CONFIG_PATH } from "../../modules/server-config/paths";
import { invalidInputOf } from "../support/invalid-input";
import { renderedFiles } from "../support/rendered-files";
import { describeWithTools } from "../support/tools";
import { checkShell, checkSshdDropIn } from "../support/validators";

describe("Instance Connect renderers", () => {
  const script = renderInstanceConnectKeysScript();

  test("the script asks for an IMDSv2 token before any metadata, and checks instance and expiry of each key", () => {
    expect(script.startsWith("#!/bin/sh\n")).toBe(true);
    const tokenAt = script.indexOf("-X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 5' \"$md/api/token\"");
    expect(tokenAt).toBeGreaterThan(0);
    expect(script.indexOf("meta-data/$1")).toBeGreaterThan(tokenAt);
    expect(script).toContain('get "managed-ssh-keys/active-keys/$user/"');
    expect(script).toContain("inst == id && ts > now");
    expect(script).toContain("md=http://169.254.169.254/latest");
  });

  test("\"sshd's `AuthorizedKeysCommand` (run as `nobody`, with the login user)\"", () => {
    expect(renderInstanceConnectSshdConfig()).toContain(`AuthorizedKeysCommand ${INSTANCE_CONNECT_KEYS_SCRIPT_PATH} %u\nAuthorizedKeysCommandUser nobody\n`);
  });

  test.each([
    ["metadata endpoint with a path", () => renderInstanceConnectKeysScript({ imdsEndpoint: "http://169.254.169.254/latest" }), "instanceConnect.imdsEndpoint", /http:\/\/ URL without path/],
    ["metadata endpoint over https", () => renderInstanceConnectKeysScript({ imdsEndpoint: "https://169.254.169.254" }), "instanceConnect.imdsEndpoint", /http:\/\/ URL without path/],
    ["metadata endpoint after other text", () => renderInstanceConnectKeysScript({ imdsEndpoint: "x;http://169.254.169.254" }), "instanceConnect.imdsEndpoint", /http:\/\/ URL without path/],
    ["script path with a space", () => renderInstanceConnectSshdConfig("/usr/local/sbin/a b"), "instanceConnect.scriptPath", /absolute path without spaces/],
    ["relative script path", () => renderInstanceConnectSshdConfig("sbin/ec2-instance-connect-keys"), "instanceConnect.scriptPath", /absolute path without spaces/],
  ])("rejects %s, naming the field and what is allowed", (_what, render, field, allowed) => {
    const error = invalidInputOf(render);
    expect(error.field).toBe(field);
    expect(error.allowed).toMatch(allowed);
  });

  test("withInstanceConnect adds the two files and curl once", () => {
    const once = withInstanceConnect({ packages: ["nginx"] });
    expect(withInstanceConnect(once)).toEqual(once);
    expect(once.packages).toEqual(["nginx", "curl"]);
    expect(withInstanceConnect({}).packages).toEqual(["curl"]);
    expect(withInstanceConnect({ packages: ["curl", "nginx"] }).packages).toEqual(["curl", "nginx"]);
    // The load balancers' user data is close to the 16 KB limit: the script travels compressed.
    expect(once.writeFiles!.find((f) => f.path === INSTANCE_CONNECT_KEYS_SCRIPT_PATH)!.compress).toBe(true);
    expect(once.writeFiles!.map((f) => [f.path, f.permissions])).toEqual([
      [INSTANCE_CONNECT_KEYS_SCRIPT_PATH, "0755"],
      [INSTANCE_CONNECT_SSHD_CONFIG_PATH, undefined],
    ]);
  });

  test("\"`withInstanceConnect(config)` (every role, stage 4 hosts too)\": every host of every stage receives the script and the drop-in, unchanged", () => {
    const files = renderedFiles();
    const roles = [...new Set(files.map((f) => f.role))];
    expect(roles.length).toBeGreaterThanOrEqual(12);
    for (const role of roles) {
      const of = (path: string) => files.find((f) => f.role === role && f.path === path);
      expect([role, of(INSTANCE_CONNECT_KEYS_SCRIPT_PATH)?.content]).toEqual([role, script]);
      expect([role, of(INSTANCE_CONNECT_KEYS_SCRIPT_PATH)?.permissions]).toEqual([role, "0755"]);
      expect([role, of(INSTANCE_CONNECT_SSHD_CONFIG_PATH)?.content]).toEqual([role, renderInstanceConnectSshdConfig()]);
    }
  });
});

describeWithTools("Instance Connect files pass their tools", ["shellcheck", "sshd", "ssh-keygen"], true, () => {
  test("shellcheck (POSIX sh) accepts the keys script", () => {
    const result = checkShell(renderInstanceConnectKeysScript(), "sh");
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);
  });

  test("sshd -t accepts the drop-in", () => {
    const result = checkSshdDropIn(renderInstanceConnectSshdConfig());
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);
  });

  test("sshd -t refuses a broken drop-in (the check can fail)", () => {
    expect(checkSshdDropIn(renderInstanceConnectSshdConfig().replace(`${INSTANCE_CONNECT_KEYS_SCRIPT_PATH} %u`, "ec2-instance-connect-keys %u")).output).toContain("must be an absolute path");
    expect(checkSshdDropIn("AuthorizedKeysCommandUsr nobody\n").ok).toBe(false);
  });
});
