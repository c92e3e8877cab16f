// Exact (erf) GELU, as Hugging Face's "gelu", and its derivative.

import type { GraphBuilder } from '../onnx/graph-builder';

export interface GeluResult {
  readonly output: string;
  /** Phi(x) = 0.5 (1 + erf(x / sqrt 2)), the normal CDF, shared with the backward pass. */
  readonly cdf: string;
}

export function geluForward(builder: GraphBuilder, x: string): GeluResult {
  return builder.scoped('Gelu', () => {
    const erf = builder.op('Erf', [builder.op('Div', [x, builder.float(Math.SQRT2)])]);
    const cdf = builder.op('Mul', [builder.op('Add', [erf, builder.float(1)]), builder.float(0.5)]);
    return { output: builder.op('Mul', [x, cdf]), cdf };
  });
}

/** d/dx [x Phi(x)] = Phi(x) + x phi(x), phi(x) = exp(-x^2 / 2) / sqrt(2 pi). */
export function geluBackward(builder: GraphBuilder, dy: string, x: string, saved: GeluResult): string {
  return builder.scoped('Gelu_grad', () => {
    const density = builder.op('Mul', [builder.op('Exp', [builder.op('Mul', [builder.op('Mul', [x, x]), builder.float(-0.5)])]), builder.float(1 / Math.sqrt(2 * Math.PI))]);
    return builder.op('Mul', [dy, builder.op('Add', [saved.cdf, builder.op('Mul', [x, density])])]);
  });
}
