/** Prints a benchmark's figures as one JSON object on stdout, with the process's peak RSS. */
export function printReport(figures: Record<string, unknown>): void {
  const report = { ...figures, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
