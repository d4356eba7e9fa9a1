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
  /** The value's JSON text, as it stands in the payload. */
  json?: string;
}

/**
 * The frame of one record. `json` is the value's JSON text when the caller has it (the file log
 * keeps it for readers of the tail); the payload is the same bytes as `JSON.stringify({ k, v })`,
 * written straight into the frame.
 */
export function encodeFrame(key: string, value: AnalyticsEvent, json: string = JSON.stringify(value)): Buffer {
  const payload = `{"k":${JSON.stringify(key)},"v":${json}}`;
  const length = Buffer.byteLength(payload);
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + length);
  frame.writeUInt32BE(length, 0);
  frame.write(payload, FRAME_HEADER_BYTES);
  frame.writeUInt32BE(crc32(frame.subarray(FRAME_HEADER_BYTES)), 4);
  return frame;
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
 * The `v` part of a payload written as `{"k":key,"v":value}` (every payload `encodeFrame` wrote, and
 * `JSON.stringify` before it): text `JSON.stringify` of the parsed value gives back unchanged, so the
 * archiver writes it without serialising the event again. A slice, not a copy.
 */
function valueText(text: string, key: string): { json?: string } {
  const start = 5 + JSON.stringify(key).length;
  return text.startsWith(',"v":', start) && text.endsWith('}') ? { json: text.slice(start + 5, -1) } : {};
}

/** Decodes the frames of a buffer known to hold only intact frames (already verified on scan or write). */
export function decodeFrames(buf: Buffer): FramePayload[] {
  const out: FramePayload[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const length = buf.readUInt32BE(pos);
    const payloadStart = pos + FRAME_HEADER_BYTES;
    const text = buf.toString('utf8', payloadStart, payloadStart + length);
    const parsed = JSON.parse(text) as { k: string; v: AnalyticsEvent };
    out.push({ key: parsed.k, value: parsed.v, ...valueText(text, parsed.k) });
    pos = payloadStart + length;
  }
  return out;
}
