// .rdp encoding: UTF-16LE with BOM, CRLF, allow-listed keys only, non-ASCII names intact.
import { describe, expect, it } from 'vitest';
import { decodeRdpFile, encodeRdpFile, rdpFileText, RDP_FILE_KEYS } from './rdp-file';

describe('.rdp files', () => {
  it('encodes as UTF-16LE with a BOM and CRLF line ends, keeping non-ASCII names', () => {
    const bytes = encodeRdpFile(rdpFileText({ 'full address': 'h.example:3389', username: 'Müller' }));
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    // "f" of "full" as UTF-16LE.
    expect([...bytes.subarray(2, 4)]).toEqual([0x66, 0x00]);
    expect(bytes.subarray(2).toString('utf16le')).toBe(
      'full address:s:h.example:3389\r\nusername:s:Müller\r\n',
    );
    expect(decodeRdpFile(bytes)).toEqual(['full address:s:h.example:3389', 'username:s:Müller']);
  });

  it('never lists alternate full address or server port among the keys it may write', () => {
    expect(Object.keys(RDP_FILE_KEYS)).not.toContain('alternate full address');
    expect(Object.keys(RDP_FILE_KEYS)).not.toContain('server port');
    expect(Object.keys(RDP_FILE_KEYS)).not.toContain('password 51');
  });

  it('refuses a key outside the allow-list and values that could start a new line', () => {
    expect(() => rdpFileText({ 'alternate full address': 'evil:3389' } as never)).toThrow(/not an .rdp key/);
    expect(() => rdpFileText({ username: 'a\r\nalternate full address:s:evil' })).toThrow(/line breaks/);
    expect(() => rdpFileText({ username: 'a\u2028b' })).toThrow(/line breaks/);
    expect(() => rdpFileText({ 'screen mode id': 1.5 })).toThrow(/whole number/);
    expect(() => rdpFileText({ 'screen mode id': '2' as unknown as number })).toThrow(/whole number/);
  });
});
