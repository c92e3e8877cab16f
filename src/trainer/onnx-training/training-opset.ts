// The training graph's opset. Only this graph uses it: the exported inference models stay at
// opset 14 (graph-builder.ts) for the tools that read them.

/**
 * Opset 17, for two ops ONNX Runtime 1.14 runs correctly (checked with duplicate indices on 1
 * and 2 threads, and by the gradient tests): ScatterND with reduction 'add' (opset 16), which
 * sums the position and token-type tables' gradients in the graph (the word table's is summed in
 * JavaScript for speed, see embeddings.ts), and LayerNormalization (opset 17), whose
 * Mean and InvStdDev outputs the backward pass reuses. Debian's onnx 1.12 checker knows 17.
 */
export const TRAINING_OPSET = { version: 17, irVersion: 8 } as const;
