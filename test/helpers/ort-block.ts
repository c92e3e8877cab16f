// Runs one training-graph block (forward and backward) alone on ONNX Runtime: the inputs are
// graph inputs, and the names `build` returns become outputs. For the blocks' gradient tests.

import seedrandom from 'seedrandom';
import { onnx } from 'onnx-proto';
import type { Tensor } from 'onnxruntime-node';
import { DataType, GraphBuilder, encodeModel, valueInfo } from '../../src/trainer/onnx/graph-builder';
import { OrtSession } from '../../src/trainer/onnx/ort-session';
import { TRAINING_OPSET } from '../../src/trainer/onnx-training/training-opset';

export interface BlockInput {
  readonly dims: readonly number[];
  readonly values: Float32Array | BigInt64Array;
}

export async function runBlock(inputs: Readonly<Record<string, BlockInput>>, build: (builder: GraphBuilder) => Record<string, string>, threads = 1): Promise<Record<string, Float32Array>> {
  const builder = new GraphBuilder();
  const named = build(builder);
  const outputs: onnx.IValueInfoProto[] = Object.entries(named).map(([key, tensor]) => {
    builder.op('Identity', [tensor], { output: `out.${key}` });
    return { name: `out.${key}`, type: { tensorType: { elemType: DataType.FLOAT } } };
  });
  const graphInputs = Object.entries(inputs).map(([name, input]) => valueInfo(name, input.values instanceof Float32Array ? DataType.FLOAT : DataType.INT64, input.dims));
  const model = encodeModel({ graph: builder.graph('block', graphInputs, outputs), docString: 'one block', opset: TRAINING_OPSET });
  const session = await OrtSession.create(model, { threads });
  try {
    const feeds: Record<string, Tensor> = {};
    for (const [name, input] of Object.entries(inputs)) {
      feeds[name] = input.values instanceof Float32Array ? new session.ort.Tensor('float32', input.values, [...input.dims]) : new session.ort.Tensor('int64', input.values, [...input.dims]);
    }
    const keys = Object.keys(named);
    const results = await session.run(feeds, keys.map((key) => `out.${key}`));
    return Object.fromEntries(keys.map((key) => [key, results[`out.${key}`].data as Float32Array]));
  } finally {
    await session.dispose();
  }
}

/** Seeded uniform values in [-scale, scale), with `offset` added. */
export function randomInput(dims: readonly number[], seed: string, scale = 1, offset = 0): BlockInput {
  const random = seedrandom(seed);
  const count = dims.reduce((product, size) => product * size, 1);
  return { dims, values: Float32Array.from({ length: count }, () => offset + scale * (2 * random() - 1)) };
}
