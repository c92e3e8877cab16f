// How Thaw writes its numbers, the same in the Model view, the panel and the CLI. Browser-safe.

/**
 * 2e-5 rather than 0.00002, as learning rates are written in papers and configs; rounding noise
 * from decay products (1.4580000000000003e-5) is dropped at four significant digits.
 */
export function formatLearningRate(rate: number): string {
  if (rate === 0) return '0';
  const rounded = Number(rate.toPrecision(4));
  return rounded < 0.01 ? rounded.toExponential() : String(rounded);
}

/** 8512 -> "8.5k", 70_400_000 -> "70.4M"; below 1000 the exact count. */
export function formatParameterCount(count: number): string {
  if (count < 1_000) return String(count);
  if (count < 1_000_000) return `${(count / 1_000).toFixed(1)}k`;
  if (count < 1_000_000_000) return `${(count / 1_000_000).toFixed(1)}M`;
  return `${(count / 1_000_000_000).toFixed(1)}B`;
}

/** 65_000 -> "1m05s", 3_725_000 -> "1h02m05s", 4_200 -> "4s". */
export function formatDuration(milliseconds: number): string {
  const totalSeconds = Math.round(milliseconds / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const twoDigits = (value: number) => String(value).padStart(2, '0');
  if (hours > 0) return `${hours}h${twoDigits(minutes)}m${twoDigits(seconds)}s`;
  if (minutes > 0) return `${minutes}m${twoDigits(seconds)}s`;
  return `${seconds}s`;
}

/** A metric in a legend or a table: four significant digits are plenty to compare runs. */
export function formatMetric(value: number): string {
  return Number(value.toPrecision(4)).toString();
}

/**
 * What trained a run's phases, in one cell: the engine alone when one trained them all, else
 * each phase's ("warm-up: onnxruntime; fine-tune: tfjs, then onnxruntime" after a resume on the
 * other engine). Undefined when the run recorded none.
 *
 * @example formatPhaseEngines({ 'warm-up': ['onnxruntime'], 'fine-tune': ['onnxruntime'] }) // 'onnxruntime'
 */
export function formatPhaseEngines(phaseEngines: Readonly<Record<string, readonly string[]>> | undefined): string | undefined {
  const phases = Object.entries(phaseEngines ?? {}).filter(([, engines]) => engines.length > 0);
  if (phases.length === 0) return undefined;
  const [first] = phases[0][1];
  if (phases.every(([, engines]) => engines.length === 1 && engines[0] === first)) return first;
  return phases.map(([phase, engines]) => `${phase}: ${engines.join(', then ')}`).join('; ');
}
