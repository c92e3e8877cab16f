// The training graph's opset. Only this graph uses it: the exported inference models stay at
// opset 14 (graph-builder.ts) for the tools that read them.

/**
 * Opset 17, for LayerNormalization, whose Mean and InvStdDev outputs the backward pass reuses.
 * ONNX Runtime 1.14 and Debian's onnx 1.12 checker both know it.
 *
 * Not used, though opset 16 offers it: ScatterND with reduction 'add'. ORT 1.14 sums repeated
 * indices right on 1 thread but races on 2: 1,024 update rows of 384 into a 2-row table came out
 * off by 2-6 in 7 of 30 runs (mostly a fresh session's first run); 2,000 rows of 8 into 50 rows
 * were right, too little work to be split. ScatterElements with reduction 'add' was right in all
 * 30, but the embedding gradients need neither (embeddings.ts), and
 * test/unit/onnx-training-blocks.test.ts checks them at that size on 2 threads.
 */
export const TRAINING_OPSET = { version: 17, irVersion: 8 } as const;
