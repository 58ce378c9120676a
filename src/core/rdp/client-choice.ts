// The technician's RDP client choice: a detected client's id, or a custom executable with an argument template.
// Kept in its own small file in the data folder (rdp-client.json, written atomically), validated when read. The app
// and `sitehop rdp-client` both change it: a change is applied to the file as it is then, under rdp-client.json.lock
// (fs/file-lock.ts), so choosing a preferred client in the window never puts back the custom client it read before
// `sitehop rdp-client custom` replaced it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomic-file';
import { withFileLock } from '../fs/file-lock';

export const CustomClient = z.object({
  path: z.string().min(1).max(1000),
  /** Placeholders: {host} {port} {address} {username} {domain} {rdpFile}. */
  args: z.array(z.string().max(500)).max(50),
});
export type CustomClient = z.infer<typeof CustomClient>;

const ChoiceFile = z.object({
  preferred: z.string().min(1).max(100).nullable(),
  custom: CustomClient.nullable(),
});
export type ClientChoice = z.infer<typeof ChoiceFile>;

export interface ClientChoiceStore {
  get(): ClientChoice;
  /** Applies `change` to the choice as it is on disk now (re-read under the lock) and keeps what it returns. */
  update(change: (current: ClientChoice) => ClientChoice): ClientChoice;
}

export function openClientChoiceStore(
  home: string,
  log: (line: string) => void = () => undefined,
): ClientChoiceStore {
  const file = path.join(home, 'rdp-client.json');
  const empty: ClientChoice = { preferred: null, custom: null };
  const get = (): ClientChoice => {
    if (!existsSync(file)) return empty;
    try {
      return ChoiceFile.parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch {
      log('[rdp] The saved RDP client choice could not be read; using the default client.');
      return empty;
    }
  };
  return {
    get,
    update: (change) =>
      withFileLock(`${file}.lock`, () => {
        const valid = ChoiceFile.parse(change(get()));
        writeFileAtomic(file, JSON.stringify(valid, null, '\t'));
        return valid;
      }),
  };
}
