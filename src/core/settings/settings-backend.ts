// What the technician settings need from a key-value store. `conf` is the one settings library, in the app, the
// CLI and the harness alike (electron-store was dropped: in the app it registers an ipcMain listener of its own,
// outside the sender check). Tests may inject a failing backend through OpenSettingsBackend.
import Conf from 'conf';

export interface SettingsBackend {
  get(key: string): unknown;
  /** Every key at once, from one read of the file (conf reads and parses the whole file on every get). */
  readonly store: Record<string, unknown>;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /** The file the store writes (atomically). */
  readonly path: string;
}

/** Opens the store file `<cwd>/<name>.json` (atomic writes come from conf). */
export type OpenSettingsBackend = (options: { cwd: string; name: string }) => SettingsBackend;

export const openConfBackend: OpenSettingsBackend = ({ cwd, name }) =>
  new Conf<Record<string, unknown>>({ cwd, configName: name });
