// .rdp files: only the keys below can ever be written, each with its fixed type, and every value is checked so
// that no value can end a line and start another key (no `alternate full address`, no `drivestoredirect:s:*`
// smuggled through a username). Encoded as UTF-16LE with a BOM and CRLF line ends: that is what mstsc itself
// writes and what FreeRDP and KeePassRDP write; it carries non-ASCII names intact (an ASCII file would mangle a
// "Müller" username in mstsc, which reads BOM-less files in the ANSI code page) and is the form rdpsign signs.
import { AppError } from '../errors';
import { hasUnsafeCharacters } from './validate';

/** Every key SiteHop may write, with its .rdp type. `alternate full address` and `server port` are absent on purpose. */
export const RDP_FILE_KEYS = {
  'full address': 's',
  username: 's',
  domain: 's',
  'prompt for credentials': 'i',
  'authentication level': 'i',
  enablecredsspsupport: 'i',
  'screen mode id': 'i',
  desktopwidth: 'i',
  desktopheight: 'i',
  'use multimon': 'i',
  'dynamic resolution': 'i',
  'smart sizing': 'i',
  redirectclipboard: 'i',
  drivestoredirect: 's',
  redirectprinters: 'i',
  redirectsmartcards: 'i',
  redirectcomports: 'i',
  audiocapturemode: 'i',
  'administrative session': 'i',
} as const;

export type RdpFileKey = keyof typeof RDP_FILE_KEYS;
export type RdpFileEntries = Partial<Record<RdpFileKey, string | number>>;

/** The file's text, one `key:type:value` line per entry (in the allow-list's order), CRLF-terminated. */
export function rdpFileText(entries: RdpFileEntries): string {
  const lines: string[] = [];
  for (const key of Object.keys(RDP_FILE_KEYS) as RdpFileKey[]) {
    const value = entries[key];
    if (value === undefined) continue;
    const type = RDP_FILE_KEYS[key];
    if (type === 'i') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
        throw new AppError('invalid_input', `The .rdp setting "${key}" must be a small whole number.`);
      }
    } else if (typeof value !== 'string' || hasUnsafeCharacters(value)) {
      throw new AppError('invalid_input', `The .rdp setting "${key}" may not contain spaces or line breaks.`);
    }
    lines.push(`${key}:${type}:${value}`);
  }
  for (const key of Object.keys(entries)) {
    if (!Object.hasOwn(RDP_FILE_KEYS, key)) {
      throw new AppError('internal', `"${key}" is not an .rdp key SiteHop writes.`);
    }
  }
  return lines.map((l) => `${l}\r\n`).join('');
}

const BOM = Buffer.from([0xff, 0xfe]);

/** UTF-16LE with a byte-order mark, as mstsc writes .rdp files. */
export function encodeRdpFile(text: string): Buffer {
  return Buffer.concat([BOM, Buffer.from(text, 'utf16le')]);
}

/** Reads an .rdp file back (UTF-16LE with BOM, or UTF-8/ASCII) into its lines; used by tests and diagnostics. */
export function decodeRdpFile(bytes: Buffer): string[] {
  const text =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? bytes.subarray(2).toString('utf16le')
      : bytes.toString('utf8').replace(/^\uFEFF/, '');
  return text.split('\r\n').filter((l) => l.length > 0);
}
