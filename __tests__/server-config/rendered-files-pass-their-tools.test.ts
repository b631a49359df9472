/**
 * Proof 1: every file the roles write is accepted by the tool that will read
 * it on the host (haproxy, keepalived, nginx, promtool, shellcheck, yamllint,
 * Grafana schemas). Inputs come from support/rendered-files.ts only.
 */
import { checksFor, uncheckedReason } from "../support/file-checks";
import { renderedFiles } from "../support/rendered-files";
import { describeWithTools } from "../support/tools";
import { HARNESS_TOOLS } from "../support/validators";

describe("rendered file inventory", () => {
  it.each(renderedFiles().map((f) => [`${f.role} ${f.path}`, f] as const))("\"Every rendered file is checked by the daemon that reads it on the host\" (or listed with the reason): %s", (_name, file) => {
    const checks = checksFor(file);
    expect(checks.length > 0 || uncheckedReason(file.path) !== undefined).toBe(true);
  });
});

describeWithTools("rendered files pass their real tools", HARNESS_TOOLS, true, () => {
  const cases = renderedFiles().flatMap((file) => checksFor(file).map((check) => [`${file.role} ${file.path} (${check.tool})`, check] as const));
  it.each(cases)("%s", (_name, check) => {
    const result = check.run();
    if (!result.ok) throw new Error(result.output);
    expect(result.ok).toBe(true);
  });
});
