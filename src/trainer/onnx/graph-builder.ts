// Small builders for ONNX graphs over onnx-proto (protobufjs code generated from the official
// onnx.proto), so that no protobuf byte is written by hand. Names are derived from the scope
// and the order of construction only, so the same calls give the same bytes.

import { onnx } from 'onnx-proto';
import { endianness } from 'node:os';

export const DataType = onnx.TensorProto.DataType;
export type DataType = onnx.TensorProto.DataType;

/**
 * Opset 14: ONNX Runtime 1.14 runs opsets up to 18, Debian's onnx 1.12 checker knows up to 17,
 * and 14 has every op BERT needs in its current form (Softmax over one axis and ReduceSum with
 * axes as an input since 13; Reshape keeping dims given as 0). LayerNormalization became an op
 * only in 17, so it is written out as ReduceMean/Sub/Pow/Sqrt/Div: the pattern torch.onnx
 * exports and ORT's LayerNormFusion turns back into one kernel.
 */
export const OPSET_VERSION = 14;
/** The IR version that ONNX 1.9 introduced along with opset 14 (onnx/onnx docs/Versioning.md). */
export const IR_VERSION = 7;

/** A dimension: a fixed size, or a symbolic name for a dynamic axis ('batch_size'). */
export type Dim = number | string;

/** A float attribute (LayerNormalization's epsilon), told apart from an integer by its wrapper. */
export interface FloatAttribute {
  readonly float: number;
}

/**
 * Attribute values: a number is an INT, a list an INTS, `{ float }` a FLOAT. Inference BERT needs
 * integers only; the training graph also a float.
 */
export type IntAttributes = Readonly<Record<string, number | readonly number[] | FloatAttribute>>;

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

export function valueInfo(name: string, elemType: DataType, dims: readonly Dim[]): onnx.IValueInfoProto {
  const dim = dims.map((size) => (typeof size === 'number' ? { dimValue: size } : { dimParam: size }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/** float32 values as raw_data, which the format defines as little-endian. */
function littleEndianFloats(values: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const bytes = new Uint8Array(values.byteLength);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => view.setFloat32(4 * index, value, true));
  return bytes;
}

export function floatTensor(name: string, dims: readonly number[], values: Float32Array, docString?: string): onnx.ITensorProto {
  checkCount(name, dims, values.length);
  return { name, dims: [...dims], dataType: DataType.FLOAT, rawData: littleEndianFloats(values), ...(docString === undefined ? {} : { docString }) };
}

/** 8-bit tensors (quantized weights and their zero points): one byte each, no byte order. */
export function byteTensor(name: string, dims: readonly number[], dataType: typeof DataType.UINT8 | typeof DataType.INT8, values: Uint8Array | Int8Array): onnx.ITensorProto {
  checkCount(name, dims, values.length);
  return { name, dims: [...dims], dataType, rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength) };
}

export function int64Tensor(name: string, dims: readonly number[], values: readonly number[]): onnx.ITensorProto {
  checkCount(name, dims, values.length);
  const bytes = new Uint8Array(8 * values.length);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => view.setBigInt64(8 * index, BigInt(value), true));
  return { name, dims: [...dims], dataType: DataType.INT64, rawData: bytes };
}

function checkCount(name: string, dims: readonly number[], count: number): void {
  const expected = dims.reduce((product, size) => product * size, 1);
  if (expected !== count) throw new Error(`tensor ${name}: ${count} values for dims [${dims.join(', ')}]`);
}

export function attributeProtos(attributes: IntAttributes): onnx.IAttributeProto[] {
  // Sorted by name so that the bytes do not depend on how a caller spelt the object.
  return Object.keys(attributes)
    .sort()
    .map((name) => {
      const value = attributes[name];
      const { AttributeType } = onnx.AttributeProto;
      if (typeof value === 'number') return { name, type: AttributeType.INT, i: value };
      if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
      return { name, type: AttributeType.INTS, ints: [...value] };
    });
}

export interface OpOptions {
  readonly attributes?: IntAttributes;
  /** The output's name when it is a graph output (e.g. 'last_hidden_state'); else derived. */
  readonly output?: string;
}

/**
 * Collects nodes and initializers. Node names follow torch.onnx's style,
 * `/encoder/layer.0/attention/self/MatMul_1`, from the current scope and a per-scope counter.
 */
export class GraphBuilder {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly names = new Set<string>();
  private readonly scopes: string[] = [];

  /** Runs `build` with node names prefixed by `name` (nested scopes join with '/'). */
  scoped<T>(name: string, build: () => T): T {
    this.scopes.push(name);
    try {
      return build();
    } finally {
      this.scopes.pop();
    }
  }

  /** Adds one node with one output and returns the output's name. */
  op(opType: string, inputs: readonly string[], options: OpOptions = {}): string {
    const nodeName = this.uniqueName(`/${[...this.scopes, opType].join('/')}`);
    const output = options.output ?? `${nodeName}_output_0`;
    this.addNode(nodeName, opType, inputs, [output], options.attributes);
    return output;
  }

  /** Adds a node with several outputs (DynamicQuantizeLinear) and returns their names. */
  opWithOutputs(opType: string, inputs: readonly string[], count: number, attributes?: IntAttributes): string[] {
    const nodeName = this.uniqueName(`/${[...this.scopes, opType].join('/')}`);
    const outputs = Array.from({ length: count }, (_, index) => `${nodeName}_output_${index}`);
    this.addNode(nodeName, opType, inputs, outputs, attributes);
    return outputs;
  }

  /** Adds an initializer under its own name (a Hugging Face weight name) and returns the name. */
  initializer(tensor: onnx.ITensorProto): string {
    const name = tensor.name ?? '';
    if (this.names.has(name)) throw new Error(`duplicate tensor name ${name}`);
    this.names.add(name);
    this.initializers.push(tensor);
    return name;
  }

  /** An int64 constant (shapes, axes, indices), shared by every node that needs the same value. */
  int64(values: readonly number[], scalar = false): string {
    const name = `const_int64_${scalar ? '' : '['}${values.join('_')}${scalar ? '' : ']'}`;
    return this.names.has(name) ? name : this.initializer(int64Tensor(name, scalar ? [] : [values.length], values));
  }

  /** A float32 scalar constant, shared by every node that needs the same value. */
  float(value: number): string {
    const name = `const_float_${value}`;
    return this.names.has(name) ? name : this.initializer(floatTensor(name, [], Float32Array.of(value)));
  }

  graph(name: string, inputs: onnx.IValueInfoProto[], outputs: onnx.IValueInfoProto[]): onnx.IGraphProto {
    return { name, node: this.nodes, initializer: this.initializers, input: inputs, output: outputs };
  }

  private addNode(name: string, opType: string, inputs: readonly string[], outputs: string[], attributes?: IntAttributes): void {
    this.nodes.push({ name, opType, input: [...inputs], output: outputs, ...(attributes === undefined ? {} : { attribute: attributeProtos(attributes) }) });
  }

  private uniqueName(base: string): string {
    let name = base;
    for (let count = 1; this.names.has(name); count++) name = `${base}_${count}`;
    this.names.add(name);
    return name;
  }
}

export interface ModelParts {
  readonly graph: onnx.IGraphProto;
  readonly docString: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /** Another opset than OPSET_VERSION (the training graph's); the exported models keep the default. */
  readonly opset?: { readonly version: number; readonly irVersion: number };
}

/** Serializes a model of the default domain at OPSET_VERSION (or parts.opset); no timestamp, so bytes are reproducible. */
export function encodeModel(parts: ModelParts): Uint8Array {
  const metadataProps = Object.entries(parts.metadata ?? {}).map(([key, value]) => ({ key, value }));
  const model = onnx.ModelProto.create({
    irVersion: parts.opset?.irVersion ?? IR_VERSION,
    opsetImport: [{ domain: '', version: parts.opset?.version ?? OPSET_VERSION }],
    producerName: 'thaw',
    docString: parts.docString,
    graph: parts.graph,
    metadataProps,
  });
  return onnx.ModelProto.encode(model).finish();
}
