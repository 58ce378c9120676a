// The production key checks: one cheap authenticated call through the ngrok client, whose errors already tell a
// wrong key from an agent authtoken or an API-key id. The key is scrubbed from any message as a last guard.
import type { NgrokClientTuning } from '../directory/sync-source';
import { createNgrokClient, type NgrokClient } from '../ngrok/client';
import { isNgrokApiError } from '../ngrok/errors';
import { redactError } from '../secrets/redact';
import { probeFilter, type AccountProbe } from './account-probe';
import type { Credentials, VerifyKey, VerifyReplacementKey } from './workspace-service';

// A person is waiting on the form: fail fast rather than retry for long.
const formClient = (tuning: NgrokClientTuning, { apiUrl, apiKey }: Credentials): NgrokClient =>
  createNgrokClient({ ...tuning, maxRetries: Math.min(tuning.maxRetries ?? 1, 1), apiUrl, apiKey });

export function createNgrokKeyVerifier(tuning: NgrokClientTuning = {}): VerifyKey {
  return async (credentials) => {
    const client = formClient(tuning, credentials);
    try {
      await client.verifyKey();
    } catch (err) {
      throw redactError(err, credentials.apiKey);
    }
  };
}

/**
 * Whether the probe's objects are listed for this key, from the first page only: a server that ignored the filter would
 * otherwise be paged through whole (10,000 endpoints = 100 requests) to answer a form.
 */
async function seesAny(client: NgrokClient, probe: AccountProbe): Promise<boolean> {
  const wanted = new Set(probe.values);
  let seen = false;
  const stop = new AbortController();
  try {
    await client.listAll(probe.collection, {
      filter: probeFilter(probe),
      signal: stop.signal,
      keep: (items) => {
        seen ||= items.some((i) => wanted.has((i as Record<string, unknown>)[probe.field] as string));
        return [];
      },
      onPage: ({ hasMore }) => {
        if (hasMore) stop.abort();
      },
    });
  } catch (err) {
    if (!stop.signal.aborted) throw err;
  }
  return seen;
}

/**
 * The replacement key's check: the key check and the account check in the same request(s). With kept objects to
 * compare, the first probe (cached cloud endpoints by id) is the key check itself; a second one (reserved
 * addresses) only when the first saw none. Without any, the plain key check. So 1 request, 2 at most.
 */
export function createReplacementKeyVerifier(tuning: NgrokClientTuning = {}): VerifyReplacementKey {
  return async (credentials, probes) => {
    const client = formClient(tuning, credentials);
    try {
      if (probes.length === 0) {
        await client.verifyKey();
        return { match: 'unchecked', requests: client.requestsMade };
      }
      for (const probe of probes) {
        if (await seesAny(client, probe)) return { match: 'same', requests: client.requestsMade };
      }
      return { match: 'other', requests: client.requestsMade };
    } catch (err) {
      // An API that refuses the filter (400: ngrok documents id and addr as filterable, but) cannot tell the
      // account: the key alone is checked, and 'unchecked' says so (the workspace service refuses it for a
      // workspace that was synced: its records are that account's).
      if (isNgrokApiError(err) && err.status === 400 && err.kind !== 'auth') {
        try {
          await client.verifyKey();
        } catch (again) {
          throw redactError(again, credentials.apiKey);
        }
        return { match: 'unchecked', requests: client.requestsMade };
      }
      throw redactError(err, credentials.apiKey);
    }
  };
}
