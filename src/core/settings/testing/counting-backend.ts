// TEST HELPER: the settings store on conf, counting its reads of settings.json (conf reads and parses the whole file
// on every get and every read of its store), so a test can tell how often a change or a compare reads the file.
import { openConfBackend, type OpenSettingsBackend } from '../settings-backend';

export function countingConfBackend(): { open: OpenSettingsBackend; reads: () => number } {
  let reads = 0;
  const open: OpenSettingsBackend = (where) => {
    const conf = openConfBackend(where);
    return {
      get: (key) => (reads++, conf.get(key)),
      get store() {
        reads++;
        return conf.store;
      },
      set: (key, value) => conf.set(key, value),
      delete: (key) => conf.delete(key),
      path: conf.path,
    };
  };
  return { open, reads: () => reads };
}
