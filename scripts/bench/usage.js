/**
 * Preloaded (`node --require`) into every process `npm run bench` measures: at exit it
 * writes the process's own CPU time and peak RSS to the file named by BENCH_USAGE_FILE.
 * Registered before the measured program runs, so its exit handlers (e.g. writing a
 * code cache after a first run) come after the measurement.
 */
const { writeFileSync } = require("fs");

process.once("exit", () => {
  const usage = process.resourceUsage();
  const report = { cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, peakMb: usage.maxRSS / 1024 };
  writeFileSync(process.env.BENCH_USAGE_FILE, JSON.stringify(report));
});
