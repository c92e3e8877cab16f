// What a run's numbers depend on besides its experiment: Thaw's version, the engine and its
// threads (bit-exact resume holds only for the same two), the frozen encoder's engine and
// threads, and the content of each dataset, so that comparisons and forks see changed data,
// not only changed paths.

import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackendName } from '../backend/tensorflow';
import type { EncoderEngine } from '../encoder/encoder-engine';
import type { EngineName } from '../../core/vocabulary/engines';
import type { ResolvedExperiment } from '../../core/experiment/load-experiment';

export interface Provenance {
  readonly thawVersion: string;
  readonly engine: BackendName;
  readonly threads: number;
  readonly datasets: Record<string, string>;
  /** What runs the frozen encoder (the embedding cache) and on how many threads. */
  readonly encoder: { readonly engine: EngineName; readonly threads: number };
}

/** package.json's version; this file is out/src/trainer/train/provenance.js. */
export function thawVersion(): string {
  const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8')) as { version?: string };
  return manifest.version ?? 'unknown';
}

/** Threads the engine computes with: wasm and cpu run on one; native TensorFlow on all cores. */
export function engineThreads(engine: BackendName): number {
  return engine === 'tensorflow' ? Math.max(1, os.availableParallelism()) : 1;
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function provenanceOf(experiment: ResolvedExperiment, engine: BackendName, encoder: EncoderEngine): Promise<Provenance> {
  const files = Object.values(experiment.tasks).flatMap((task) => (task === undefined ? [] : [task.train, ...(task.validation === undefined ? [] : [task.validation])]));
  const datasets: Record<string, string> = {};
  for (const file of files) datasets[file] = await sha256(file);
  const encoderThreads = encoder.name === 'onnxruntime' ? encoder.threads : engineThreads(engine);
  return { thawVersion: thawVersion(), engine, threads: engineThreads(engine), datasets, encoder: { engine: encoder.name, threads: encoderThreads } };
}
