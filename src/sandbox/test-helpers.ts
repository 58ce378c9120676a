// Shared by the sandbox's tests: a real HTTP GET against a running sandbox, with ngrok's headers by default.
import type { Endpoint } from '../core/ngrok/types';
import { ngrokId, rfc3339 } from './state/ids';

export interface GetResult {
  status: number;
  body: Record<string, unknown>;
}

export async function apiGet(
  baseOrUrl: string,
  path: string,
  headers: Record<string, string | undefined> = {},
  key = 'sitehop-demo-key',
): Promise<GetResult> {
  const all: Record<string, string | undefined> = {
    authorization: `Bearer ${key}`,
    'ngrok-version': '2',
    ...headers,
  };
  const clean = Object.fromEntries(
    Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const res = await fetch(path.startsWith('http') ? path : `${baseOrUrl}${path}`, { headers: clean });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** `count` cloud endpoints created one second apart (index 0 oldest), with ids in ngrok's format. */
export function cloudEndpoints(count: number, startMs = Date.UTC(2025, 2, 1)): Endpoint[] {
  return Array.from({ length: count }, (_, i) => {
    const t = startMs + i * 1000;
    return {
      id: ngrokId('ep', t),
      created_at: rfc3339(t),
      updated_at: rfc3339(t),
      type: 'cloud',
      url: `tcp://1.tcp.ngrok.io:${20000 + i}`,
      public_url: `tcp://1.tcp.ngrok.io:${20000 + i}`,
      proto: 'tcp',
      bindings: ['public'],
      traffic_policy:
        '{"on_tcp_connect":[{"actions":[{"type":"forward-internal","config":{"url":"tcp://d.s.internal:22"}}]}]}',
    };
  });
}
