// The sync progress line on a terminal (stderr is a TTY): `sitehop sync` and the first sync any directory command
// runs when nothing is cached yet, which can take minutes at ngrok's 120 requests a minute. On a pipe, nothing.
import type { DirectoryEvents } from '../core/directory/sync-service';
import type { SyncProgress } from '../shared/directory-types';
import type { CliIo } from './io';

/** "about 2 min left", "less than a minute left". */
export function formatEta(ms: number): string {
  if (ms < 60_000) return 'less than a minute left';
  return `about ${Math.round(ms / 60_000)} min left`;
}

export function progressLine(p: SyncProgress): string | null {
  if (p.requestsDone === undefined || p.requestsNeeded === undefined) return null;
  const eta = p.etaMs !== undefined ? `, ${formatEta(p.etaMs)}` : '';
  // A 429: the account's shared budget is spent; the sync waits (a minute when ngrok sends no Retry-After).
  if (p.rateLimitedMs !== undefined)
    return `Reading the ngrok account: ${p.requestsDone}/${p.requestsNeeded} requests; ngrok's rate limit for the account is used up, trying again in ${Math.max(1, Math.round(p.rateLimitedMs / 1000))} s`;
  return `Reading the ngrok account: ${p.requestsDone}/${p.requestsNeeded} requests${eta}`;
}

export interface ProgressDisplay {
  events: DirectoryEvents | undefined;
  /** Wipes the line once the sync is over, so what the command prints next starts on a clean line. */
  end(): void;
}

export function progressDisplay(io: CliIo, tty: boolean): ProgressDisplay {
  if (!tty) return { events: undefined, end: () => undefined };
  let shown = false;
  return {
    events: {
      progress: (p) => {
        const line = progressLine(p);
        if (line === null) return;
        io.stderr(`\r\x1b[2K${line}`);
        shown = true;
      },
    },
    end: () => {
      if (shown) io.stderr('\r\x1b[2K');
      shown = false;
    },
  };
}
