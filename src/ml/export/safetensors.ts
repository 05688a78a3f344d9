/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__": {...} }`, then the raw
 * tensors, little-endian, back to back. Only float32 here; the reader is strict: it refuses
 * anything the format does not allow (overlaps, gaps, sizes that don't match the shapes).
 */
import { type ProblemCode, ProblemError, type ProblemValues } from "../problems";

export interface NamedTensor {
  shape: number[];
  data: Float32Array;
}

/** A header longer than this is refused (the format's own limit is 100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** `tensors` (in their order) as a safetensors file, with `metadata` (strings) in its header. */
export function writeSafetensors(
  tensors: ReadonlyMap<string, NamedTensor>,
  metadata: Record<string, string> = { format: "pt" },
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    if (t.data.length !== count(t.shape))
      throw new Error(`safetensors: ${name} has ${t.data.length} values for shape [${t.shape}]`);
    header[name] = {
      dtype: "F32",
      shape: t.shape,
      data_offsets: [offset, offset + 4 * t.data.length],
    };
    offset += 4 * t.data.length;
  }
  // The header is padded with spaces to a multiple of 8 bytes, so the data stays aligned.
  let json = JSON.stringify(header);
  json += " ".repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const bytes = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  bytes.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    for (let i = 0; i < t.data.length; i++) view.setFloat32(at + 4 * i, t.data[i], true);
    at += 4 * t.data.length;
  }
  return bytes;
}

/** The tensors and metadata of a safetensors file; throws, naming the problem, on a bad file. */
export function readSafetensors(bytes: Uint8Array): {
  tensors: Map<string, NamedTensor>;
  metadata: Record<string, string>;
} {
  const fail = (code: ProblemCode, values: ProblemValues, why: string): never => {
    throw new ProblemError(code, values, `not a valid safetensors file: ${why}`);
  };
  const headerFail = (why: string) => fail("safetensorsHeader", {}, why);
  if (bytes.length < 8) headerFail("shorter than its 8-byte header length");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER_BYTES || 8 + headerLength > bytes.length)
    headerFail(`its header length (${headerLength} bytes) runs past the file`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)),
    );
  } catch (e) {
    return headerFail(`its header is not JSON (${(e as Error).message})`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header))
    headerFail("its header is not a JSON object");
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const { __metadata__: rawMetadata = {}, ...entries } = header;
  const metadata = rawMetadata as Record<string, string>;
  if (typeof metadata !== "object" || Object.values(metadata).some((v) => typeof v !== "string"))
    headerFail("__metadata__ must map names to strings");
  const spans: [number, number, string][] = [];
  const tensors = new Map<string, NamedTensor>();
  for (const [name, entry] of Object.entries(entries)) {
    const {
      dtype,
      shape,
      data_offsets: offsets,
    } = (entry ?? {}) as {
      dtype?: unknown;
      shape?: unknown;
      data_offsets?: unknown;
    };
    if (dtype !== "F32")
      fail(
        "safetensorsType",
        { name, type: String(dtype) },
        `${name} is ${String(dtype)}; only F32 is read here`,
      );
    const entryFail = (why: string) => fail("safetensorsEntry", { name }, why);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
      entryFail(`${name} has no valid shape`);
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isInteger(o) && o >= 0) ||
      offsets[0] > offsets[1] ||
      offsets[1] > dataLength
    )
      entryFail(`${name} has data_offsets outside the data`);
    const [begin, end] = offsets as [number, number];
    if (end - begin !== 4 * count(shape as number[]))
      entryFail(`${name} holds ${end - begin} bytes for shape [${shape}]`);
    spans.push([begin, end, name]);
    const data = new Float32Array(count(shape as number[]));
    for (let i = 0; i < data.length; i++)
      data[i] = view.getFloat32(dataStart + begin + 4 * i, true);
    tensors.set(name, { shape: shape as number[], data });
  }
  // The data is the tensors, back to back: no overlap, no gap, nothing after.
  spans.sort((a, b) => a[0] - b[0]);
  let expected = 0;
  for (const [begin, end, name] of spans) {
    if (begin !== expected)
      fail("safetensorsLayout", {}, `${name} starts at byte ${begin}, expected ${expected}`);
    expected = end;
  }
  if (expected !== dataLength)
    fail("safetensorsLayout", {}, `${dataLength - expected} bytes follow the last tensor`);
  return { tensors, metadata };
}
