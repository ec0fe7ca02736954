// Preloaded with `node --import` by the benchmarks: reports the process's peak RSS on exit.
process.on("exit", () => {
  process.stderr.write(`PEAK_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
