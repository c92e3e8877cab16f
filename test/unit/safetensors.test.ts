import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ThawError } from '../../src/core/errors';
import { encodeFloats, parseSafetensors, serializeSafetensors, toFloat32 } from '../../src/trainer/model/safetensors';

/** A safetensors file assembled by hand from a header object and data bytes. */
function handMade(header: object, data: number[]): Uint8Array {
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + data.length);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  Buffer.from(data).copy(out, 8 + headerBytes.length);
  return out;
}

test('parses a hand-made file: F32, F16 and BF16 values, metadata', () => {
  // F32 1.5 = 0x3fc00000; F16 -2 = 0xc000; BF16 0.25 = 0x3e80 (little-endian bytes).
  const file = handMade(
    {
      __metadata__: { format: 'pt' },
      a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
      b: { dtype: 'F16', shape: [1], data_offsets: [4, 6] },
      c: { dtype: 'BF16', shape: [1, 1], data_offsets: [6, 8] },
    },
    [0x00, 0x00, 0xc0, 0x3f, 0x00, 0xc0, 0x80, 0x3e],
  );
  const parsed = parseSafetensors(file, 'hand.safetensors');
  assert.deepEqual(parsed.metadata, { format: 'pt' });
  assert.deepEqual([...toFloat32(parsed.tensors.get('a')!, 'f')], [1.5]);
  assert.deepEqual([...toFloat32(parsed.tensors.get('b')!, 'f')], [-2]);
  assert.deepEqual([...toFloat32(parsed.tensors.get('c')!, 'f')], [0.25]);
  assert.deepEqual(parsed.tensors.get('c')!.shape, [1, 1]);
});

test('serialize then parse gives the same tensors; the header is padded to 8 bytes', () => {
  const values = new Float32Array([0.1, -2.5, 3e-8, 65504]);
  const bytes = serializeSafetensors([{ name: 'w', dtype: 'F32', shape: [2, 2], bytes: encodeFloats(values, 'F32') }], { format: 'pt' });
  const headerLength = Number(Buffer.from(bytes).readBigUInt64LE(0));
  assert.equal(headerLength % 8, 0);
  const tensor = parseSafetensors(bytes, 'x').tensors.get('w')!;
  assert.deepEqual(tensor.shape, [2, 2]);
  assert.deepEqual(toFloat32(tensor, 'x'), values);
});

function assertThawError(action: () => unknown, pattern: RegExp): void {
  assert.throws(action, (error: unknown) => error instanceof ThawError && pattern.test(error.message) && error.message.startsWith('m.safetensors: '));
}

test('bad files give one clear error naming the file', () => {
  const good = handMade({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, [0, 0, 0, 0, 0, 0, 0, 0]);
  assertThawError(() => parseSafetensors(good.subarray(0, 5), 'm.safetensors'), /truncated: 5 bytes/);
  assertThawError(() => parseSafetensors(good.subarray(0, good.length - 3), 'm.safetensors'), /truncated: tensor "a" ends at byte 8 of the data, which has only 5/);
  assertThawError(() => parseSafetensors(good.subarray(0, 20), 'm.safetensors'), /truncated: the header needs/);
  const notJson = Buffer.from(good);
  notJson[8] = 0x7b + 1; // '{' -> '|'
  assertThawError(() => parseSafetensors(notJson, 'm.safetensors'), /header is not valid JSON/);
  assertThawError(() => parseSafetensors(handMade({ a: { dtype: 'F99', shape: [1], data_offsets: [0, 4] } }, [0, 0, 0, 0]), 'm.safetensors'), /unknown dtype "F99"/);
  assertThawError(() => parseSafetensors(handMade({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, [0, 0, 0, 0, 0, 0, 0, 0]), 'm.safetensors'), /needs 12 bytes/);
  assertThawError(() => parseSafetensors(handMade({ a: { dtype: 'F32', shape: 'x', data_offsets: [0, 4] } }, [0, 0, 0, 0]), 'm.safetensors'), /invalid shape/);
  const huge = Buffer.alloc(16);
  huge.writeBigUInt64LE(2n ** 40n, 0);
  assertThawError(() => parseSafetensors(huge, 'm.safetensors'), /implausible/);
});

test('a non-float tensor cannot become a weight', () => {
  const file = handMade({ ids: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, [1, 0, 0, 0, 0, 0, 0, 0]);
  const tensor = parseSafetensors(file, 'm.safetensors').tensors.get('ids')!;
  assert.throws(() => toFloat32(tensor, 'm.safetensors'), /dtype I64; a weight must be one of F32, F16, BF16, F64/);
});
