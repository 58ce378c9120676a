// After a live SSH session ends unexpectedly, one connect check may say why (the site's agent went offline and the
// edge cut the session's stream). Drops come in crowds: one agent going offline cuts every tab on its devices, and the
// technician's own network dropping cuts them all, while the API budget is shared by the whole company. So: at
// most one request per service (tabs of one service share the answer, in flight and for a while after), checks of
// one account one at a time (two workspaces on one key share its budget), and none while the directory's sync is
// rate-limited, failing (the API is known unreachable or refusing the key) or in flight, nor for a while after a check
// of the account got no answer. A dial of the service
// in that while (the technician's Reconnect right after the drop) takes the same answer instead of asking again,
// unless the answer was already in and said the service cannot be reached: then the click asks whether it is back.
import type { DirectoryService, ServiceCheck } from '../directory/sync-service';

export interface DropCheckOptions {
  now?: () => number;
  /** How long an answer serves the other tabs of its service that drop after it, and dials of the service. */
  reuseMs?: number;
  /** After a check that got no answer from the API (checked: false): no drop check of the account for this long. */
  quietMs?: number;
}

export interface DropCheck {
  /** The check's answer when it came from the API just now, else null (skipped, failed or rate-limited). */
  explain(workspaceId: string, serviceId: string): Promise<ServiceCheck | null>;
  /**
   * For a dial of the service: the answer of a drop check in flight or fresh that sent its request (checked: false
   * when that request got no answer), so the dial need not send its own; null when there is none, when the one in
   * flight ends up sending nothing (the budget skipped it), or when a fresh answer already in said the service
   * cannot be reached (offline, gone): the dial then checks for itself.
   */
  shared(workspaceId: string, serviceId: string): Promise<ServiceCheck | null>;
}

/** What one drop check did: the connect check's answer when it sent its request, else null. */
type Outcome = ServiceCheck | null;

export function createDropCheck(
  directory: Pick<DirectoryService, 'checkService' | 'health'>,
  options: DropCheckOptions = {},
): DropCheck {
  const now = options.now ?? Date.now;
  const reuseMs = options.reuseMs ?? 15_000;
  const quietMs = options.quietMs ?? 60_000;
  const pending = new Map<string, Promise<Outcome>>();
  const answered = new Map<string, { at: number; outcome: Outcome }>();
  /** The last check queued per account: the next one starts after it, and knows how it went. */
  const tail = new Map<string, Promise<unknown>>();
  const quietUntil = new Map<string, number>();
  /** The workspace's account once the directory knows it (a sync or check of this run used the key), else its own. */
  const accountOf = (workspaceId: string): string =>
    directory.health(workspaceId).account ?? `workspace:${workspaceId}`;

  const mayAsk = (workspaceId: string): boolean => {
    if ((quietUntil.get(accountOf(workspaceId)) ?? 0) > now()) return false;
    const health = directory.health(workspaceId);
    if (health.inFlight || health.failures > 0) return false;
    return !health.notBefore || health.notBefore.getTime() <= now();
  };

  const ask = async (workspaceId: string, serviceId: string): Promise<Outcome> => {
    if (!mayAsk(workspaceId)) return null;
    const check = await directory.checkService(workspaceId, serviceId);
    if (!check.checked) quietUntil.set(accountOf(workspaceId), now() + quietMs);
    return check;
  };

  const keyOf = (workspaceId: string, serviceId: string) => `${workspaceId}\n${serviceId}`;

  /** The drop check of the service in flight or answered within reuseMs, if any. */
  const current = (key: string): Promise<Outcome> | null => {
    const inFlight = pending.get(key);
    if (inFlight) return inFlight;
    const last = answered.get(key);
    return last && now() - last.at < reuseMs ? Promise.resolve(last.outcome) : null;
  };

  const run = (workspaceId: string, serviceId: string): Promise<Outcome> => {
    const key = keyOf(workspaceId, serviceId);
    const shared = current(key);
    if (shared) return shared;
    const account = accountOf(workspaceId);
    const before = tail.get(account) ?? Promise.resolve();
    const queued = before
      .then(() => ask(workspaceId, serviceId))
      .catch(() => null)
      .then((outcome) => {
        pending.delete(key);
        answered.set(key, { at: now(), outcome });
        if (tail.get(account) === queued) tail.delete(account);
        return outcome;
      });
    pending.set(key, queued);
    tail.set(account, queued);
    return queued;
  };

  return {
    explain: async (workspaceId, serviceId) => {
      const outcome = await run(workspaceId, serviceId);
      return outcome?.checked ? outcome : null;
    },
    shared: async (workspaceId, serviceId) => {
      const key = keyOf(workspaceId, serviceId);
      const inFlight = pending.get(key);
      if (inFlight) return (await inFlight) ?? null;
      const last = answered.get(key);
      if (!last || now() - last.at >= reuseMs) return null;
      // An answer already in that said the service cannot be reached is asked again: a Reconnect pressed after the
      // tab named the agent offline asks whether it is back (restarted at the site), one request per click.
      const refusing = last.outcome?.checked === true && last.outcome.state !== 'online';
      return refusing ? null : (last.outcome ?? null);
    },
  };
}
