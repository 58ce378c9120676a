// The production key check: one cheap authenticated call through the ngrok client, whose errors already tell a
// wrong key from an agent authtoken or an API-key id. The key is scrubbed from any message as a last guard.
import type { NgrokClientTuning } from '../directory/sync-source';
import { createNgrokClient } from '../ngrok/client';
import { redactError } from '../secrets/redact';
import type { VerifyKey } from './workspace-service';

export function createNgrokKeyVerifier(tuning: NgrokClientTuning = {}): VerifyKey {
  return async ({ apiUrl, apiKey }) => {
    // A person is waiting on the form: fail fast rather than retry for long.
    const client = createNgrokClient({
      ...tuning,
      maxRetries: Math.min(tuning.maxRetries ?? 1, 1),
      apiUrl,
      apiKey,
    });
    try {
      await client.verifyKey();
    } catch (err) {
      throw redactError(err, apiKey);
    }
  };
}
