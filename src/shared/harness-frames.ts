// Binary WebSocket frames of the browser harness, for events that carry bytes (terminal output). As JSON, such an
// event cost a UTF-8 decode and a JSON escape in core and a JSON parse in the page for every byte; as a frame the
// bytes travel raw and the page hands xterm.js a view on the received buffer. Every other message stays JSON.
//
// Layout: [0x01][u16 big-endian header length H][H bytes: UTF-8 JSON header][the bytes]
// Header: {"name": event name, "payload": the payload without its bytes field, "field": that field's name}.
// Decoding rebuilds the payload with the field set to a Uint8Array; the contract then validates it as usual.
import { z } from 'zod';

export const BYTES_FRAME_KIND = 0x01;
const PREFIX = 3;
/** The header names an event and a session: anything longer is not a frame this harness writes. */
export const MAX_FRAME_HEADER_BYTES = 4096;

const FrameHeader = z.object({
  name: z.string().min(1).max(100),
  payload: z.record(z.string(), z.unknown()),
  field: z.string().min(1).max(100),
});

export interface BytesEvent {
  name: string;
  payload: Record<string, unknown>;
}

/** The one top-level Uint8Array field of a payload, if it has exactly one (then it goes as a binary frame). */
export function bytesField(payload: unknown): string | null {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return null;
  let found: string | null = null;
  for (const [key, value] of Object.entries(payload)) {
    if (value instanceof Uint8Array) {
      if (found !== null) return null;
      found = key;
    }
  }
  return found;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The start of the frame for an event whose payload has exactly one Uint8Array field (see bytesField): everything
 * but the bytes, which follow it unchanged. The harness sends the two as fragments of one WebSocket message, so the
 * output is never copied into a frame; the page receives one message as if it had been encoded in one piece.
 */
export function encodeBytesFrameHead(
  name: string,
  payload: Record<string, unknown>,
  field: string,
): Uint8Array {
  if (!(payload[field] instanceof Uint8Array)) throw new TypeError(`payload.${field} is not a Uint8Array`);
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) if (key !== field) rest[key] = value;
  const header = encoder.encode(JSON.stringify({ name, payload: rest, field }));
  if (header.length > MAX_FRAME_HEADER_BYTES) throw new RangeError('frame header too long');
  const head = new Uint8Array(PREFIX + header.length);
  head[0] = BYTES_FRAME_KIND;
  head[1] = header.length >>> 8;
  head[2] = header.length & 0xff;
  head.set(header, PREFIX);
  return head;
}

/** The whole frame in one array (the head, then the bytes). */
export function encodeBytesFrame(name: string, payload: Record<string, unknown>, field: string): Uint8Array {
  const head = encodeBytesFrameHead(name, payload, field);
  const bytes = payload[field] as Uint8Array;
  const frame = new Uint8Array(head.length + bytes.length);
  frame.set(head);
  frame.set(bytes, head.length);
  return frame;
}

/** The event in a frame, or null for anything malformed (wrong kind, truncated, bad header). Never throws. */
export function decodeBytesFrame(buffer: ArrayBuffer | Uint8Array): BytesEvent | null {
  const frame = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  if (frame.length < PREFIX || frame[0] !== BYTES_FRAME_KIND) return null;
  const headerLength = (frame[1]! << 8) | frame[2]!;
  if (headerLength === 0 || headerLength > MAX_FRAME_HEADER_BYTES || PREFIX + headerLength > frame.length)
    return null;
  let header: z.infer<typeof FrameHeader>;
  try {
    const parsed = FrameHeader.safeParse(
      JSON.parse(decoder.decode(frame.subarray(PREFIX, PREFIX + headerLength))),
    );
    if (!parsed.success) return null;
    header = parsed.data;
  } catch {
    return null;
  }
  if (Object.prototype.hasOwnProperty.call(header.payload, header.field)) return null;
  // A view, not a copy: the received buffer belongs to this event alone.
  const bytes = frame.subarray(PREFIX + headerLength);
  return { name: header.name, payload: { ...header.payload, [header.field]: bytes } };
}
