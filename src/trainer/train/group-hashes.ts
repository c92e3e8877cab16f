import { createHash } from 'node:crypto';
import type { GroupName, ParameterSet } from '../model/parameter-groups';

/**
 * A fingerprint of each group's weights: SHA-256 over every weight's name, shape and float32
 * bytes, in name order (first 16 hex digits). Equal hashes mean bit-identical weights, which
 * is how a run proves that a frozen group did not change.
 */
export function groupHashes(parameters: ParameterSet, groups: readonly GroupName[]): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const group of groups) {
    const hash = createHash('sha256');
    for (const parameter of [...parameters.inGroup(group)].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const values = parameter.variable.dataSync() as Float32Array;
      hash.update(`${parameter.name}[${parameter.variable.shape.join(',')}]`);
      hash.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    }
    hashes[group] = hash.digest('hex').slice(0, 16);
  }
  return hashes;
}
