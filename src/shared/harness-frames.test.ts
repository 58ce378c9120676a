// The harness's binary event frames: bytes round-trip exactly (every byte value), the rest of the payload travels in
// the header, and anything malformed decodes to null without throwing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesField, decodeBytesFrame, encodeBytesFrame, MAX_FRAME_HEADER_BYTES } from './harness-frames';

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('harness binary frames', () => {
  it('round-trips all 256 byte values with the rest of the payload', () => {
    const frame = encodeBytesFrame('ssh.data', { sessionId: 's-1', data: ALL_BYTES }, 'data');
    const decoded = decodeBytesFrame(frame.slice().buffer);
    expect(decoded?.name).toBe('ssh.data');
    expect(decoded?.payload.sessionId).toBe('s-1');
    expect(decoded?.payload.data).toBeInstanceOf(Uint8Array);
    expect([...(decoded!.payload.data as Uint8Array)]).toEqual([...ALL_BYTES]);
  });

  it('round-trips any bytes and any small payload', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.string({ maxLength: 200 }), (bytes, id) => {
        const decoded = decodeBytesFrame(
          encodeBytesFrame('ssh.data', { sessionId: id, data: bytes }, 'data'),
        );
        expect(decoded?.payload).toEqual({ sessionId: id, data: bytes });
      }),
    );
  });

  it('sends as a frame only a payload with exactly one top-level Uint8Array', () => {
    expect(bytesField({ sessionId: 'a', data: new Uint8Array(1) })).toBe('data');
    expect(bytesField({ sessionId: 'a', data: 'text' })).toBeNull();
    expect(bytesField({ a: new Uint8Array(1), b: new Uint8Array(1) })).toBeNull();
    expect(bytesField(null)).toBeNull();
    expect(bytesField([new Uint8Array(1)])).toBeNull();
  });

  it('decodes malformed frames to null', () => {
    const good = encodeBytesFrame('ssh.data', { sessionId: 's', data: new Uint8Array([1, 2]) }, 'data');
    const withKind = (k: number) => Uint8Array.from([k, ...good.subarray(1)]);
    const header = (text: string) => {
      const h = new TextEncoder().encode(text);
      return Uint8Array.from([1, h.length >> 8, h.length & 0xff, ...h, 9, 9]);
    };
    expect(decodeBytesFrame(new Uint8Array(0))).toBeNull();
    expect(decodeBytesFrame(new Uint8Array([1, 0]))).toBeNull();
    expect(decodeBytesFrame(withKind(2))).toBeNull();
    // Header length past the end of the frame, zero, or over the limit.
    expect(decodeBytesFrame(Uint8Array.from([1, 0xff, 0xff, 1, 2]))).toBeNull();
    expect(decodeBytesFrame(Uint8Array.from([1, 0, 0, 1, 2]))).toBeNull();
    const huge = new Uint8Array(MAX_FRAME_HEADER_BYTES + 10);
    huge[0] = 1;
    huge[1] = (MAX_FRAME_HEADER_BYTES + 1) >> 8;
    huge[2] = (MAX_FRAME_HEADER_BYTES + 1) & 0xff;
    expect(decodeBytesFrame(huge)).toBeNull();
    expect(decodeBytesFrame(header('{not json'))).toBeNull();
    expect(decodeBytesFrame(header('"a string"'))).toBeNull();
    expect(decodeBytesFrame(header('{"name":"ssh.data","payload":[],"field":"data"}'))).toBeNull();
    expect(decodeBytesFrame(header('{"name":"ssh.data","payload":{},"field":""}'))).toBeNull();
    // The bytes field must not also come from the header.
    expect(decodeBytesFrame(header('{"name":"ssh.data","payload":{"data":"x"},"field":"data"}'))).toBeNull();
    // Invalid UTF-8 in the header.
    expect(decodeBytesFrame(Uint8Array.from([1, 0, 2, 0xff, 0xfe, 9]))).toBeNull();
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(() => decodeBytesFrame(bytes)).not.toThrow();
        expect(() => decodeBytesFrame(Uint8Array.from([1, 0, bytes.length & 0xff, ...bytes]))).not.toThrow();
      }),
    );
  });
});
