// After a live SSH session ends unexpectedly, one connect check may say why (the site's agent went offline and the
// edge cut the stream). Drops come in crowds: one agent going offline cuts every tab on its devices, and the
// technician's own network dropping cuts them all, while the API budget is shared by the whole company. So: at
// most one request per service (tabs of one service share the answer, in flight and for a while after), checks of
// one workspace one at a time, and none while the directory's sync is rate-limited, failing (the API is known
// unreachable or refusing the key) or in flight, nor for a while after a check got no answer.
import type { DirectoryService, ServiceCheck } from '../directory/sync-service';

export interface DropCheckOptions {
  now?: () => number;
  /** How long an answer serves the other tabs of its service that drop after it. */
  reuseMs?: number;
  /** After a check that got no answer from the API (checked: false): no drop check of the workspace for this long. */
  quietMs?: number;
}

/** The check's answer when it came from the API just now, else null (skipped, failed or rate-limited). */
export type DropCheck = (workspaceId: string, serviceId: string) => Promise<ServiceCheck | null>;

export function createDropCheck(
  directory: Pick<DirectoryService, 'checkService' | 'health'>,
  options: DropCheckOptions = {},
): DropCheck {
  const now = options.now ?? Date.now;
  const reuseMs = options.reuseMs ?? 15_000;
  const quietMs = options.quietMs ?? 60_000;
  const pending = new Map<string, Promise<ServiceCheck | null>>();
  const answered = new Map<string, { at: number; check: ServiceCheck | null }>();
  /** The last check queued per workspace: the next one starts after it, and knows how it went. */
  const tail = new Map<string, Promise<unknown>>();
  const quietUntil = new Map<string, number>();

  const mayAsk = (workspaceId: string): boolean => {
    if ((quietUntil.get(workspaceId) ?? 0) > now()) return false;
    const health = directory.health(workspaceId);
    if (health.inFlight || health.failures > 0) return false;
    return !health.notBefore || health.notBefore.getTime() <= now();
  };

  const ask = async (workspaceId: string, serviceId: string): Promise<ServiceCheck | null> => {
    if (!mayAsk(workspaceId)) return null;
    const check = await directory.checkService(workspaceId, serviceId);
    if (check.checked) return check;
    quietUntil.set(workspaceId, now() + quietMs);
    return null;
  };

  return (workspaceId, serviceId) => {
    const key = `${workspaceId}\n${serviceId}`;
    const inFlight = pending.get(key);
    if (inFlight) return inFlight;
    const last = answered.get(key);
    if (last && now() - last.at < reuseMs) return Promise.resolve(last.check);
    const before = tail.get(workspaceId) ?? Promise.resolve();
    const run = before
      .then(() => ask(workspaceId, serviceId))
      .catch(() => null)
      .then((check) => {
        pending.delete(key);
        answered.set(key, { at: now(), check });
        if (tail.get(workspaceId) === run) tail.delete(workspaceId);
        return check;
      });
    pending.set(key, run);
    tail.set(workspaceId, run);
    return run;
  };
}
