// Dynamic int8 quantization of an ONNX model's matrix products, written here because there
// is no Python quantizer on Thaw's machines. It produces what onnxruntime's quantize_dynamic
// does for MatMul (and what transformers.js loads by default as onnx/model_quantized.onnx):
//
//   MatMul(A, W)  ->  DynamicQuantizeLinear(A) -> (A_q, a_scale, a_zero)
//                     MatMulInteger(A_q, W_q, a_zero, w_zero) -> Cast(float) -> Mul(a_scale * w_scale)
//
// with W quantized once, per tensor. ORT fuses the chain into one DynamicQuantizeMatMul kernel.

import { onnx } from 'onnx-proto';
import { DataType, attributeProtos, byteTensor, floatTensor, type IntAttributes } from './graph-builder';

export interface QuantizeOptions {
  /**
   * How weights are stored. 'uint8' (default): asymmetric, with a zero point, as
   * transformers.js' own quantized models. 'int8': symmetric, zero point 0. ORT's CPU
   * MatMulInteger takes uint8 activations with either. On x86 without VNNI, uint8 x int8 can
   * saturate 16-bit sums inside MLAS (onnxruntime's docs: "reduce_range"); uint8 x uint8 cannot.
   */
  readonly weightType?: 'uint8' | 'int8';
}

interface QuantizedWeight {
  readonly values: Uint8Array | Int8Array;
  readonly scale: number;
  readonly zeroPoint: number;
}

/**
 * A copy of `model` with every MatMul whose second input is a 2-D float initializer quantized.
 * Other nodes (attention's activation x activation products, Gather) stay float.
 *
 * @example fs.writeFileSync('onnx/model_quantized.onnx', quantizeDynamic(buildEncoderModel(config, weights)))
 */
export function quantizeDynamic(model: Uint8Array, options: QuantizeOptions = {}): Uint8Array {
  const weightType = options.weightType ?? 'uint8';
  const proto = onnx.ModelProto.decode(model);
  const graph = proto.graph;
  // decode() builds class instances, whose repeated fields are always arrays.
  if (!(graph instanceof onnx.GraphProto)) throw new Error('the model has no graph');
  const initializers = new Map(graph.initializer.map((tensor) => [tensor.name ?? '', tensor]));
  const quantizedNames = new Map<string, { values: string; scale: string; zeroPoint: string }>();
  const added: onnx.ITensorProto[] = [];
  const nodes: onnx.INodeProto[] = [];

  for (const node of graph.node) {
    const weight = node.opType === 'MatMul' && (node.domain ?? '') === '' ? initializers.get(node.input?.[1] ?? '') : undefined;
    if (weight?.name == null || weight.dataType !== DataType.FLOAT || weight.dims?.length !== 2) {
      nodes.push(node);
      continue;
    }
    let names = quantizedNames.get(weight.name);
    if (names === undefined) {
      names = { values: `${weight.name}_quantized`, scale: `${weight.name}_scale`, zeroPoint: `${weight.name}_zero_point` };
      const quantized = weightType === 'uint8' ? quantizeAsymmetric(floatValues(weight)) : quantizeSymmetric(floatValues(weight));
      const dataType = weightType === 'uint8' ? DataType.UINT8 : DataType.INT8;
      const zeroPoint = weightType === 'uint8' ? Uint8Array.of(quantized.zeroPoint) : Int8Array.of(quantized.zeroPoint);
      added.push(
        byteTensor(names.values, weight.dims.map(Number), dataType, quantized.values),
        floatTensor(names.scale, [], Float32Array.of(quantized.scale)),
        byteTensor(names.zeroPoint, [], dataType, zeroPoint),
      );
      quantizedNames.set(weight.name, names);
    }
    nodes.push(...quantizedMatMul(node, names));
  }

  // A float weight no node reads any more is dropped: that is where the size goes down 4x.
  const stillRead = new Set(nodes.flatMap((node) => node.input ?? []));
  graph.node = nodes.map((node) => onnx.NodeProto.create(node));
  graph.initializer = [...graph.initializer.filter((tensor) => stillRead.has(tensor.name ?? '')), ...added].map((tensor) => onnx.TensorProto.create(tensor));
  proto.docString = `${proto.docString} MatMul weights quantized to ${weightType} per tensor (dynamic quantization).`;
  return onnx.ModelProto.encode(proto).finish();
}

/** The five nodes that replace one MatMul; the last writes the MatMul's own output name. */
function quantizedMatMul(node: onnx.INodeProto, weight: { values: string; scale: string; zeroPoint: string }): onnx.INodeProto[] {
  const base = node.name ?? node.output?.[0] ?? 'MatMul';
  const out = (step: string, index = 0): string => `${base}_${step}_output_${index}`;
  const make = (step: string, opType: string, input: string[], output: string[], attributes?: IntAttributes): onnx.INodeProto => ({
    name: `${base}_${step}`,
    opType,
    input,
    output,
    ...(attributes === undefined ? {} : { attribute: attributeProtos(attributes) }),
  });
  const [activation] = node.input ?? [];
  const [output] = node.output ?? [];
  return [
    make('quantize', 'DynamicQuantizeLinear', [activation], [out('quantize', 0), out('quantize', 1), out('quantize', 2)]),
    make('integer', 'MatMulInteger', [out('quantize', 0), weight.values, out('quantize', 2), weight.zeroPoint], [out('integer')]),
    make('cast', 'Cast', [out('integer')], [out('cast')], { to: DataType.FLOAT }),
    make('scale', 'Mul', [out('quantize', 1), weight.scale], [out('scale')]),
    make('rescale', 'Mul', [out('cast'), out('scale')], [output]),
  ];
}

function floatValues(tensor: onnx.ITensorProto): Float32Array {
  const raw = tensor.rawData;
  if (raw !== null && raw !== undefined && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    return Float32Array.from({ length: raw.byteLength / 4 }, (_, index) => view.getFloat32(4 * index, true));
  }
  return Float32Array.from(tensor.floatData ?? []);
}

/** uint8 with a zero point, over [min(w, 0), max(w, 0)] so that 0 is exact (as onnxruntime's quantizer). */
export function quantizeAsymmetric(values: Float32Array): QuantizedWeight {
  let low = 0;
  let high = 0;
  for (const value of values) {
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  const scale = Math.fround(high > low ? (high - low) / 255 : 1);
  const zeroPoint = Math.min(255, Math.max(0, Math.round(-low / scale)));
  const quantized = new Uint8Array(values.length);
  values.forEach((value, index) => (quantized[index] = Math.min(255, Math.max(0, Math.round(value / scale) + zeroPoint))));
  return { values: quantized, scale, zeroPoint };
}

/** int8 in [-127, 127] with zero point 0. */
export function quantizeSymmetric(values: Float32Array): QuantizedWeight {
  let largest = 0;
  for (const value of values) largest = Math.max(largest, Math.abs(value));
  const scale = Math.fround(largest > 0 ? largest / 127 : 1);
  const quantized = new Int8Array(values.length);
  values.forEach((value, index) => (quantized[index] = Math.min(127, Math.max(-127, Math.round(value / scale)))));
  return { values: quantized, scale, zeroPoint: 0 };
}
