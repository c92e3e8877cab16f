// Dynamic int8 quantization of an ONNX model's weights, written here because there is no
// Python quantizer on Thaw's machines. It produces what onnxruntime's quantize_dynamic does
// for MatMul and Gather (and what transformers.js loads by default as
// onnx/model_quantized.onnx):
//
//   MatMul(A, W)  ->  DynamicQuantizeLinear(A) -> (A_q, a_scale, a_zero)
//                     MatMulInteger(A_q, W_q, a_zero, w_zero) -> Cast(float) -> Mul(a_scale * w_scale)
//   Gather(T, i)  ->  Gather(T_q, i) -> DequantizeLinear(t_scale, t_zero)
//
// with weights quantized once, per tensor. ORT fuses the MatMul chain into one
// DynamicQuantizeMatMul kernel; the Gather form keeps the embedding tables at a byte a value.

import { endianness } from 'node:os';
import { onnx } from 'onnx-proto';
import { DataType, attributeProtos, byteTensor, floatTensor, type IntAttributes } from './graph-builder';

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

export interface QuantizeOptions {
  /**
   * How weights are stored. 'uint8' (default): asymmetric, with a zero point, as
   * transformers.js' own quantized models. 'int8': symmetric, zero point 0. ORT's CPU
   * MatMulInteger takes uint8 activations with either. On x86 without VNNI, uint8 x int8 can
   * saturate 16-bit sums inside MLAS (onnxruntime's docs: "reduce_range"); uint8 x uint8 cannot.
   */
  readonly weightType?: 'uint8' | 'int8';
  /** Also store Gather tables (the embeddings, 40% of MiniLM) as bytes, as quantize_dynamic does. Default true. */
  readonly gather?: boolean;
}

interface QuantizedWeight {
  readonly values: Uint8Array | Int8Array;
  readonly scale: number;
  readonly zeroPoint: number;
}

/**
 * A copy of `model` with every MatMul whose second input, and every Gather whose table, is a
 * 2-D float initializer quantized. Attention's activation x activation products stay float.
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
  const quantizeGather = options.gather ?? true;
  const weights = new WeightQuantizer(weightType);
  const nodes: onnx.INodeProto[] = [];

  for (const node of graph.node) {
    const inDefaultDomain = (node.domain ?? '') === '';
    const matMulWeight = node.opType === 'MatMul' && inDefaultDomain ? floatMatrix(initializers.get(node.input?.[1] ?? '')) : undefined;
    const gatherTable = node.opType === 'Gather' && inDefaultDomain && quantizeGather ? floatMatrix(initializers.get(node.input?.[0] ?? '')) : undefined;
    if (matMulWeight !== undefined) nodes.push(...quantizedMatMul(node, weights.quantized(matMulWeight)));
    else if (gatherTable !== undefined) nodes.push(...quantizedGather(node, weights.quantized(gatherTable)));
    else nodes.push(node);
  }

  // A float weight no node reads any more is dropped: that is where the size goes down 4x.
  const stillRead = new Set(nodes.flatMap((node) => node.input ?? []));
  graph.node = nodes.map((node) => onnx.NodeProto.create(node));
  graph.initializer = [...graph.initializer.filter((tensor) => stillRead.has(tensor.name ?? '')), ...weights.added].map((tensor) => onnx.TensorProto.create(tensor));
  proto.docString = `${proto.docString} MatMul${quantizeGather ? ' and Gather' : ''} weights quantized to ${weightType} per tensor (dynamic quantization).`;
  return onnx.ModelProto.encode(proto).finish();
}

/** Quantizes each weight once (a table read by two nodes is stored once) and collects the new initializers. */
class WeightQuantizer {
  readonly added: onnx.ITensorProto[] = [];
  private readonly names = new Map<string, QuantizedNames>();

  constructor(private readonly weightType: 'uint8' | 'int8') {}

  quantized(weight: FloatMatrix): QuantizedNames {
    const known = this.names.get(weight.name);
    if (known !== undefined) return known;
    const names = { values: `${weight.name}_quantized`, scale: `${weight.name}_scale`, zeroPoint: `${weight.name}_zero_point` };
    const unsigned = this.weightType === 'uint8';
    const quantized = unsigned ? quantizeAsymmetric(floatValues(weight)) : quantizeSymmetric(floatValues(weight));
    const dataType = unsigned ? DataType.UINT8 : DataType.INT8;
    this.added.push(
      byteTensor(names.values, weight.dims.map(Number), dataType, quantized.values),
      floatTensor(names.scale, [], Float32Array.of(quantized.scale)),
      byteTensor(names.zeroPoint, [], dataType, unsigned ? Uint8Array.of(quantized.zeroPoint) : Int8Array.of(quantized.zeroPoint)),
    );
    this.names.set(weight.name, names);
    return names;
  }
}

/** An initializer known to have a name and two dims. */
type FloatMatrix = onnx.ITensorProto & { name: string; dims: NonNullable<onnx.ITensorProto['dims']> };

interface QuantizedNames {
  readonly values: string;
  readonly scale: string;
  readonly zeroPoint: string;
}

/** A 2-D float initializer (a weight matrix or an embedding table), else undefined. */
function floatMatrix(tensor: onnx.ITensorProto | undefined): FloatMatrix | undefined {
  if (tensor?.name == null || tensor.dataType !== DataType.FLOAT || tensor.dims?.length !== 2) return undefined;
  return tensor as FloatMatrix;
}

/** Names of a replacement node and its outputs, derived from the node it replaces. */
function replacementOf(node: onnx.INodeProto): {
  out: (step: string, index?: number) => string;
  make: (step: string, opType: string, input: string[], output: string[], attributes?: IntAttributes) => onnx.INodeProto;
} {
  const base = node.name ?? node.output?.[0] ?? node.opType ?? 'node';
  return {
    out: (step, index = 0) => `${base}_${step}_output_${index}`,
    make: (step, opType, input, output, attributes) => ({
      name: `${base}_${step}`,
      opType,
      input,
      output,
      ...(attributes === undefined ? {} : { attribute: attributeProtos(attributes) }),
    }),
  };
}

/** The five nodes that replace one MatMul; the last writes the MatMul's own output name. */
function quantizedMatMul(node: onnx.INodeProto, weight: QuantizedNames): onnx.INodeProto[] {
  const { out, make } = replacementOf(node);
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

/** Gather on the byte table, then dequantize only the rows gathered; same attributes (axis) as before. */
function quantizedGather(node: onnx.INodeProto, table: QuantizedNames): onnx.INodeProto[] {
  const { out, make } = replacementOf(node);
  const [, indices] = node.input ?? [];
  const [output] = node.output ?? [];
  return [
    { ...make('quantized', 'Gather', [table.values, indices], [out('quantized')]), attribute: node.attribute ?? [] },
    make('dequantize', 'DequantizeLinear', [out('quantized'), table.scale, table.zeroPoint], [output]),
  ];
}

function floatValues(tensor: onnx.ITensorProto): Float32Array {
  const raw = tensor.rawData;
  if (raw === null || raw === undefined || raw.length === 0) return Float32Array.from(tensor.floatData ?? []);
  // raw_data is little-endian; copying the bytes also aligns them for a Float32Array.
  if (LITTLE_ENDIAN_HOST) return new Float32Array(new Uint8Array(raw).buffer);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Float32Array.from({ length: raw.byteLength / 4 }, (_, index) => view.getFloat32(4 * index, true));
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
