// What the technician settings need from a key-value store. Both `conf` (core, tests, CLI) and electron-store
// (main, a thin wrapper around conf) satisfy it, so core never imports electron-store.
import Conf from 'conf';

export interface SettingsBackend {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /** The file the store writes (atomically). */
  readonly path: string;
}

/** Opens the store file `<cwd>/<name>.json`. Main passes `(o) => new ElectronStore({ cwd: o.cwd, name: o.name })`. */
export type OpenSettingsBackend = (options: { cwd: string; name: string }) => SettingsBackend;

export const openConfBackend: OpenSettingsBackend = ({ cwd, name }) =>
  new Conf<Record<string, unknown>>({ cwd, configName: name });
