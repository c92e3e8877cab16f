// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
// mapping tensor names to {dtype, shape, data_offsets}, then the raw little-endian bytes.
// Parsing checks every claim the header makes against the bytes, so a truncated or corrupt
// file fails here with a message that names it, not later as a wrong shape or NaN weights.

import { endianness } from 'node:os';
import { ThawError } from '../../core/errors';
import { bfloat16BitsToFloat, floatToHalfBits, halfBitsToFloat } from './float16';

/** Bytes per element of each dtype the format defines. */
const BYTES_PER_ELEMENT: Readonly<Record<string, number>> = {
  BOOL: 1, U8: 1, I8: 1, F8_E4M3: 1, F8_E5M2: 1,
  U16: 2, I16: 2, F16: 2, BF16: 2,
  U32: 4, I32: 4, F32: 4,
  U64: 8, I64: 8, F64: 8,
};

/** Dtypes Thaw can turn into float32 trainable weights. */
export const FLOAT_DTYPES = ['F32', 'F16', 'BF16', 'F64'] as const;
export type FloatDtype = (typeof FLOAT_DTYPES)[number];

/** One tensor of a safetensors file; `bytes` is a view into the file's buffer. */
export interface SafetensorsTensor {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

export interface SafetensorsContents {
  readonly tensors: ReadonlyMap<string, SafetensorsTensor>;
  /** The header's optional `__metadata__` string map. */
  readonly metadata: Readonly<Record<string, string>>;
}

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** The header may not be larger than this; a larger length means the file is not safetensors. */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}

/**
 * Parses a safetensors file held in memory. `file` names it in errors.
 *
 * @example const { tensors } = parseSafetensors(await fs.readFile(p), p)
 */
export function parseSafetensors(buffer: Uint8Array, file: string): SafetensorsContents {
  if (buffer.byteLength < 8) {
    throw new ThawError(`truncated: ${buffer.byteLength} bytes is too short for a safetensors file`, file);
  }
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER_BYTES) {
    throw new ThawError(`not a safetensors file: header length ${headerLength} is implausible`, file);
  }
  if (8 + headerLength > buffer.byteLength) {
    throw new ThawError(`truncated: the header needs ${headerLength} bytes, the file has ${buffer.byteLength - 8} after the length`, file);
  }
  const header = parseHeaderJson(buffer.subarray(8, 8 + headerLength), file);
  const data = buffer.subarray(8 + headerLength);
  const tensors = new Map<string, SafetensorsTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(entry, file);
      continue;
    }
    tensors.set(name, parseEntry(name, entry, data, file));
  }
  return { tensors, metadata };
}

function parseHeaderJson(bytes: Uint8Array, file: string): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new ThawError('corrupt: the header is not valid JSON', file);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new ThawError('corrupt: the header is not a JSON object', file);
  }
  return header as Record<string, unknown>;
}

function parseMetadata(entry: unknown, file: string): Record<string, string> {
  if (typeof entry !== 'object' || entry === null) {
    throw new ThawError('corrupt: __metadata__ is not an object', file);
  }
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (typeof value !== 'string') throw new ThawError(`corrupt: __metadata__.${key} is not a string`, file);
    metadata[key] = value;
  }
  return metadata;
}

function parseEntry(name: string, entry: unknown, data: Uint8Array, file: string): SafetensorsTensor {
  const { dtype, shape, data_offsets: offsets } = (entry ?? {}) as Record<string, unknown>;
  if (typeof dtype !== 'string') throw new ThawError(`tensor "${name}" has no dtype`, file);
  const bytesPerElement = BYTES_PER_ELEMENT[dtype];
  if (bytesPerElement === undefined) {
    throw new ThawError(`tensor "${name}" has unknown dtype "${dtype}" (known: ${Object.keys(BYTES_PER_ELEMENT).join(', ')})`, file);
  }
  if (!Array.isArray(shape) || !shape.every((size) => Number.isSafeInteger(size) && (size as number) >= 0)) {
    throw new ThawError(`tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`, file);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((offset) => Number.isSafeInteger(offset))) {
    throw new ThawError(`tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}`, file);
  }
  const [begin, end] = offsets as [number, number];
  const expected = elementCount(shape as number[]) * bytesPerElement;
  if (begin < 0 || end < begin || end - begin !== expected) {
    throw new ThawError(`tensor "${name}": shape [${shape.join(', ')}] of ${dtype} needs ${expected} bytes, data_offsets [${begin}, ${end}] give ${end - begin}`, file);
  }
  if (end > data.byteLength) {
    throw new ThawError(`truncated: tensor "${name}" ends at byte ${end} of the data, which has only ${data.byteLength}`, file);
  }
  return { name, dtype, shape: shape as number[], bytes: data.subarray(begin, end) };
}

/** The tensor's values as float32, from F32, F16, BF16 or F64 data. */
export function toFloat32(tensor: SafetensorsTensor, file: string): Float32Array {
  const count = elementCount(tensor.shape);
  const view = new DataView(tensor.bytes.buffer, tensor.bytes.byteOffset, tensor.bytes.byteLength);
  const values = new Float32Array(count);
  switch (tensor.dtype) {
    case 'F32':
      // Copying the bytes (new Uint8Array copies; Buffer.slice would not) aligns them; the format and every host Node runs on are little-endian.
      if (LITTLE_ENDIAN_HOST) return new Float32Array(new Uint8Array(tensor.bytes).buffer);
      for (let i = 0; i < count; i++) values[i] = view.getFloat32(4 * i, true);
      return values;
    case 'F16':
      for (let i = 0; i < count; i++) values[i] = halfBitsToFloat(view.getUint16(2 * i, true));
      return values;
    case 'BF16':
      for (let i = 0; i < count; i++) values[i] = bfloat16BitsToFloat(view.getUint16(2 * i, true));
      return values;
    case 'F64':
      for (let i = 0; i < count; i++) values[i] = view.getFloat64(8 * i, true);
      return values;
    default:
      throw new ThawError(`tensor "${tensor.name}" has dtype ${tensor.dtype}; a weight must be one of ${FLOAT_DTYPES.join(', ')}`, file);
  }
}

/** Little-endian bytes of float32 values stored as F32 or F16. */
export function encodeFloats(values: Float32Array, dtype: 'F32' | 'F16'): Uint8Array {
  if (dtype === 'F32') {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i], true);
    return bytes;
  }
  const bytes = new Uint8Array(values.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setUint16(2 * i, floatToHalfBits(values[i]), true);
  return bytes;
}

/** A tensor to write: raw little-endian bytes of the given dtype and shape. */
export interface TensorToWrite {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

/** Serializes tensors (in the order given) and optional string metadata into safetensors bytes. */
export function serializeSafetensors(tensors: readonly TensorToWrite[], metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata !== undefined && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const tensor of tensors) {
    const expected = elementCount(tensor.shape) * (BYTES_PER_ELEMENT[tensor.dtype] ?? NaN);
    if (tensor.bytes.byteLength !== expected) {
      throw new Error(`tensor "${tensor.name}": ${tensor.bytes.byteLength} bytes for shape [${tensor.shape.join(', ')}] of ${tensor.dtype}`);
    }
    header[tensor.name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, offset + expected] };
    offset += expected;
  }
  // The format pads the header with spaces to a multiple of 8 so that the data is aligned.
  let headerText = JSON.stringify(header);
  headerText += ' '.repeat((8 - (Buffer.byteLength(headerText) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let position = 8 + headerBytes.byteLength;
  for (const tensor of tensors) {
    out.set(tensor.bytes, position);
    position += tensor.bytes.byteLength;
  }
  return out;
}
