// Name hints from `metadata` strings (docs/architecture.md, directory rule 2a/2c). Metadata is free text: JSON with our keys,
// or a plain label. Only text that claims to be a JSON object and is not one counts as malformed.
import { memoByString } from './resolve-memo';
import { field, isRecord, text } from './resolve-read';

export interface NameHints {
  site?: string;
  device?: string;
  protocol?: string;
  username?: string;
}

/** `problem` completes the sentence "The … metadata <problem>". */
export type MetadataRead = { hints: NameHints; problem: string | null };

/** ngrok caps metadata at 4096 bytes; anything much larger is not ours to parse. */
const MAX_METADATA_CHARS = 16 * 1024;

/** Control characters, zero-width and bidirectional overrides: nothing a name should carry into the UI. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

/** A display name: control characters out, whitespace collapsed, at most 100 characters (the contract's Name). */
export function cleanName(value: string): string | null {
  // Fast path for the common case: printable ASCII, single spaces, short.
  if (value.length <= 100 && /^[\x21-\x7e](?:[\x21-\x7e]| (?! ))*$/.test(value) && !value.endsWith(' '))
    return value;
  const t = value.replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  if (t === '') return null;
  return [...t].slice(0, 100).join('').trim();
}

function parseObject(raw: string): Record<string, unknown> | 'malformed' | null {
  if (!raw.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return isRecord(value) ? value : 'malformed';
  } catch {
    return 'malformed';
  }
}

/** Reads the first present key of `keys`: text or a finite number; anything else is a problem. */
function readKey(obj: Record<string, unknown>, keys: string[], problems: string[]): string | undefined {
  for (const key of keys) {
    const value = field(obj, key);
    if (value === undefined || value === null) continue;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value === 'string') {
      const name = cleanName(value);
      if (name !== null) return name;
      continue;
    }
    problems.push(`"${key}" is not text`);
  }
  return undefined;
}

/** Hints from a cloud endpoint's or reserved address's metadata. Shared results: callers never mutate them. */
export function readMetadata(raw: unknown): MetadataRead {
  if (raw === undefined || raw === null) return NO_METADATA;
  // Many endpoints share one text between syncs; huge texts are not worth keeping.
  if (typeof raw === 'string' && raw.length <= MAX_METADATA_CHARS * 2) return metadataMemo(raw);
  return readMetadataText(raw);
}

const NO_METADATA: MetadataRead = { hints: {}, problem: null };

const metadataMemo = memoByString(readMetadataText);

function readMetadataText(raw: unknown): MetadataRead {
  const t = text(raw, Number.MAX_SAFE_INTEGER);
  if (t === null) return { hints: {}, problem: null };
  if (t.length > MAX_METADATA_CHARS) return { hints: {}, problem: 'is too large to read' };
  const obj = parseObject(t);
  if (obj === 'malformed') return { hints: {}, problem: 'looks like JSON but is not a valid JSON object' };
  if (obj === null) return { hints: {}, problem: null };
  const problems: string[] = [];
  const hints: NameHints = {};
  const site = readKey(obj, ['siteName', 'site'], problems);
  const device = readKey(obj, ['deviceName', 'device'], problems);
  const protocol = readKey(obj, ['protocol'], problems);
  const username = readKey(obj, ['username'], problems);
  if (site !== undefined) hints.site = site;
  if (device !== undefined) hints.device = device;
  if (protocol !== undefined) hints.protocol = protocol;
  if (username !== undefined) hints.username = username;
  return { hints, problem: problems.length > 0 ? problems.join('; ') : null };
}

/**
 * Plain text that looks like an identifier, not a name: a UUID (the agent config docs' own metadata example, "your
 * own device or customer identifier"), a long hex string, a ULID, or an ngrok-style id (`ts_2ZyH…`).
 */
export function isOpaqueId(value: string): boolean {
  const t = value.trim();
  return (
    /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(t) ||
    /^(?:0x)?[0-9a-f]{16,}$/i.test(t) ||
    /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/i.test(t) ||
    /^[a-z]{1,10}_(?=[0-9A-Za-z]*\d)(?=[0-9A-Za-z]*[A-Z])[0-9A-Za-z]{27}$/.test(t)
  );
}

/**
 * An agent's site from its session metadata: JSON with site/siteName, or the whole text as a plain label unless it
 * is an opaque id (then the authtoken owner's name is the better guess).
 */
export function readAgentSite(raw: unknown): string | null {
  return typeof raw === 'string' && raw.length <= MAX_METADATA_CHARS * 2
    ? agentSiteMemo(raw)
    : readAgentSiteText(raw);
}

const agentSiteMemo = memoByString(readAgentSiteText);

function readAgentSiteText(raw: unknown): string | null {
  const t = text(raw, MAX_METADATA_CHARS);
  if (t === null) return null;
  const obj = parseObject(t);
  if (obj === 'malformed') return null;
  if (obj === null) return isOpaqueId(t) ? null : cleanName(t);
  return readKey(obj, ['siteName', 'site'], []) ?? null;
}
