import { crc32 } from 'node:zlib';
import type { AnalyticsEvent } from '../contracts/index.ts';

/**
 * On-disk frame of the file log: `[u32 payload length][u32 crc32(payload)][payload]`, big-endian,
 * payload = JSON `{"k": key, "v": value}`. The length + CRC pair lets a scan tell a complete
 * record from a torn write after a crash: the first frame that does not check out ends the log.
 */
export const FRAME_HEADER_BYTES = 8;
/** Far above the collector's 32 KB event limit; a larger length can only be garbage. */
const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

export interface FramePayload {
  key: string;
  value: AnalyticsEvent;
  /** The value's JSON text as UTF-8, as it stands in the payload: a view into the frames' buffer. */
  jsonBytes?: Buffer;
}

/** A record to frame: its key and its value's JSON text (`JSON.stringify(value)`). */
export interface FrameInput {
  key: string;
  json: string;
}

/** Frames written one after another into one buffer. */
export interface EncodedFrames {
  data: Buffer;
  /** Start of each frame in `data`, in input order. */
  starts: number[];
  /** Each value's JSON text as UTF-8: views into `data` (no copy), in input order. */
  values: Buffer[];
}

const payloadPrefix = (key: string): string => `{"k":${JSON.stringify(key)},"v":`;

/**
 * The frames of a group of records in one buffer: each payload is the same bytes as
 * `JSON.stringify({ k: key, v: value })`, written piece by piece straight into its place, so no
 * payload string, per-frame buffer or second copy into the group's buffer is made. The values'
 * bytes are handed back as views, so the raw store can be written from them without encoding
 * the events again.
 */
export function encodeFrames(records: readonly FrameInput[]): EncodedFrames {
  // A group's records mostly share their key (the tenant): its prefix is built once per run.
  let lastKey: string | undefined;
  let prefix = '';
  let prefixBytes = 0;
  const prefixOf = (key: string) => {
    if (key !== lastKey) {
      lastKey = key;
      prefix = payloadPrefix(key);
      prefixBytes = Buffer.byteLength(prefix);
    }
  };
  const jsonBytes: number[] = new Array(records.length);
  let total = 0;
  for (let i = 0; i < records.length; i++) {
    const { key, json } = records[i]!;
    prefixOf(key);
    jsonBytes[i] = Buffer.byteLength(json);
    total += FRAME_HEADER_BYTES + prefixBytes + jsonBytes[i]! + 1;
  }
  const data = Buffer.allocUnsafe(total);
  const starts: number[] = new Array(records.length);
  const values: Buffer[] = new Array(records.length);
  let pos = 0;
  for (let i = 0; i < records.length; i++) {
    const { key, json } = records[i]!;
    prefixOf(key);
    const payloadStart = pos + FRAME_HEADER_BYTES;
    const valueStart = payloadStart + prefixBytes;
    const valueEnd = valueStart + jsonBytes[i]!;
    data.write(prefix, payloadStart, 'utf8');
    data.write(json, valueStart, 'utf8');
    data[valueEnd] = 0x7d; // }
    const length = valueEnd + 1 - payloadStart;
    data.writeUInt32BE(length, pos);
    data.writeUInt32BE(crc32(data.subarray(payloadStart, valueEnd + 1)), pos + 4);
    starts[i] = pos;
    values[i] = data.subarray(valueStart, valueEnd);
    pos = valueEnd + 1;
  }
  return { data, starts, values };
}

export interface FrameScan {
  /** Start position (relative to the scanned buffer) of every intact frame, in order. */
  starts: number[];
  /** Where the intact frames end; anything after is torn or garbage. */
  end: number;
}

/** Walks `buf` from `from`, stopping at the first frame that is short, oversized or fails its CRC. */
export function scanFrames(buf: Buffer, from = 0): FrameScan {
  const starts: number[] = [];
  let pos = from;
  while (pos + FRAME_HEADER_BYTES <= buf.length) {
    const length = buf.readUInt32BE(pos);
    if (length === 0 || length > MAX_PAYLOAD_BYTES) break;
    const payloadStart = pos + FRAME_HEADER_BYTES;
    if (payloadStart + length > buf.length) break;
    if (crc32(buf.subarray(payloadStart, payloadStart + length)) !== buf.readUInt32BE(pos + 4)) break;
    starts.push(pos);
    pos = payloadStart + length;
  }
  return { starts, end: pos };
}

/**
 * The `v` part of a payload written as `{"k":key,"v":value}` (every payload `encodeFrames` wrote, and
 * `JSON.stringify` before it): bytes whose text `JSON.stringify` of the parsed value gives back
 * unchanged, so the archiver writes them without serialising the event again. A view, not a copy.
 */
function valueBytes(buf: Buffer, payloadStart: number, payloadEnd: number, text: string, key: string): { jsonBytes?: Buffer } {
  const keyJson = JSON.stringify(key);
  const start = 5 + keyJson.length;
  if (!(text.startsWith('{"k":', 0) && text.startsWith(keyJson, 5) && text.startsWith(',"v":', start) && text.endsWith('}'))) return {};
  return { jsonBytes: buf.subarray(payloadStart + 10 + Buffer.byteLength(keyJson), payloadEnd - 1) };
}

/** Decodes the frames of a buffer known to hold only intact frames (already verified on scan or write). */
export function decodeFrames(buf: Buffer): FramePayload[] {
  const out: FramePayload[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const length = buf.readUInt32BE(pos);
    const payloadStart = pos + FRAME_HEADER_BYTES;
    const payloadEnd = payloadStart + length;
    const text = buf.toString('utf8', payloadStart, payloadEnd);
    const parsed = JSON.parse(text) as { k: string; v: AnalyticsEvent };
    out.push({ key: parsed.k, value: parsed.v, ...valueBytes(buf, payloadStart, payloadEnd, text, parsed.k) });
    pos = payloadEnd;
  }
  return out;
}
