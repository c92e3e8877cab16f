// A task's final and best validation, folded from validation events in file order: final is
// the last one, best the highest accuracy (the first of equals, so a later tie does not move
// it). After a resume the steps since the checkpoint are validated again; the last word stands.

import type { TaskResult } from '../../protocol/run-summary';
import { finiteNumber } from './event-lines';

export interface ValidationMetrics {
  readonly accuracy: number;
  readonly macroF1: number;
  readonly loss: number;
}

export class TaskResultFold {
  private final: TaskResult['final'];
  private best: TaskResult['best'];

  add(step: number, metrics: ValidationMetrics): void {
    this.final = { accuracy: metrics.accuracy, macroF1: metrics.macroF1, loss: metrics.loss, step };
    if (this.best === undefined || metrics.accuracy > this.best.accuracy) this.best = { accuracy: metrics.accuracy, macroF1: metrics.macroF1, step };
  }

  result(name: string): TaskResult {
    return { name, ...(this.final === undefined ? {} : { final: this.final }), ...(this.best === undefined ? {} : { best: this.best }) };
  }
}

/** A validation event's metrics for one task, or undefined when they are missing or not finite. */
export function validationMetrics(value: unknown): ValidationMetrics | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const accuracy = finiteNumber(record.accuracy);
  const macroF1 = finiteNumber(record.macroF1);
  const loss = finiteNumber(record.loss);
  return accuracy === undefined || macroF1 === undefined || loss === undefined ? undefined : { accuracy, macroF1, loss };
}
