// The sandbox's own admin API under /_sandbox/ (not part of ngrok): tests and the demo use it to take an agent
// (site) offline and back, add and remove endpoints, and read the whole state. It takes the same bearer API key
// as the ngrok API, needs no Ngrok-Version header and is not rate limited.
import type { Endpoint, ReservedAddr } from '../../core/ngrok/types';
import { ngrokId, rfc3339 } from '../state/ids';
import { reachesTerminatingAction } from '../edge/policy-reader';
import { fillComputedFields, urlParts } from '../state/endpoint-fields';
import { assignLoopbackPorts } from '../state/loopback-ports';
import type { SandboxStore } from '../state/store';
import { ApiError, Errors } from './errors';
import type { JsonResponse } from './ngrok-routes';
import { present } from './present';

export const ADMIN_PREFIX = '/_sandbox';

export interface AdminDeps {
  store: SandboxStore;
  now: () => number;
  resetRateLimit: () => void;
}

function badRequest(msg: string): ApiError {
  return new ApiError(400, null, msg);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * POST /_sandbox/endpoints body: an ngrok Endpoint (id and timestamps optional), optionally with
 * `reserved_addr` (a ReservedAddr to store alongside, linked through tcp_addr). A cloud endpoint at
 * tcp://127.0.0.1:0 gets a free loopback port.
 */
async function addEndpoint(deps: AdminDeps, body: unknown): Promise<Endpoint> {
  if (!isRecord(body)) throw badRequest('the body must be a JSON object (an ngrok Endpoint)');
  const { reserved_addr: rawAddr, ...rest } = body;
  const ep = rest as Endpoint;
  if (typeof ep.url !== 'string' || !/^[a-z]+:\/\/[^/]+$/.test(ep.url))
    throw badRequest('"url" must be a URL such as tcp://127.0.0.1:0');
  if (typeof ep.type !== 'string') throw badRequest('"type" is required: cloud, agent or ephemeral');
  // What ngrok refuses when an endpoint is created (docs/ngrok-api.md §4, §6).
  const parts = urlParts(ep.url);
  if (parts === undefined || parts.port === undefined)
    throw new ApiError(
      400,
      'ERR_NGROK_249',
      `"${ep.url}" is not a valid endpoint URL: a TCP URL needs a port`,
    );
  if (
    ep.type === 'cloud' &&
    !reachesTerminatingAction(
      ep.traffic_policy,
      parts.scheme === 'http' || parts.scheme === 'https' ? 'http' : 'tcp',
    )
  )
    throw badRequest(
      "a cloud endpoint's traffic policy must end in a terminating action (forward-internal, deny, close-connection, custom-response)",
    );
  if (rawAddr !== undefined && !isRecord(rawAddr)) throw badRequest('"reserved_addr" must be an object');
  const t = deps.now();
  ep.id ??= ngrokId('ep', t);
  ep.created_at ??= rfc3339(t);
  ep.updated_at ??= ep.created_at;
  let ra = rawAddr as ReservedAddr | undefined;
  if (ra) {
    ra.id ??= ngrokId('ra', t);
    ra.created_at ??= rfc3339(t);
    ep.tcp_addr = { id: ra.id, uri: '' };
  }
  const hostPort = ep.url.split('://')[1]!;
  fillComputedFields(ep);
  if (ra) ra.addr ??= hostPort;
  const filled = await assignLoopbackPorts({ endpoints: [ep], ...(ra ? { reserved_addrs: [ra] } : {}) });
  ra = filled.reserved_addrs?.[0];
  deps.store.upsertEndpoint(ep, ra);
  return ep;
}

export async function routeAdmin(
  deps: AdminDeps,
  method: string,
  url: URL,
  base: string,
  readBody: () => Promise<unknown>,
): Promise<JsonResponse> {
  const parts = url.pathname
    .slice(ADMIN_PREFIX.length)
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  // Second segments of agents/ and endpoints/ are ids; everything else is matched literally.
  const idAt1 = parts[0] === 'agents' || parts[0] === 'endpoints';
  const route = `${method} ${parts.map((p, i) => (i === 1 && idAt1 ? ':id' : p)).join('/')}`;
  switch (route) {
    case 'GET state':
      return { status: 200, body: deps.store.snapshot() };
    case 'GET agents':
      return { status: 200, body: { agents: deps.store.agents() } };
    case 'POST agents/:id/offline':
    case 'POST agents/:id/online': {
      const agent = deps.store.findAgent(parts[1]!);
      if (!agent) throw Errors.notFound();
      deps.store.setAgentOnline(agent.tunnel_session_id, parts[2] === 'online', deps.now());
      return { status: 200, body: deps.store.findAgent(agent.tunnel_session_id) };
    }
    case 'POST endpoints': {
      const ep = await addEndpoint(deps, await readBody());
      return { status: 201, body: present('endpoints', ep, base) };
    }
    case 'DELETE endpoints/:id':
      if (!deps.store.removeEndpoint(parts[1]!)) throw Errors.notFound();
      return { status: 204, body: null };
    case 'POST rate-limit/reset':
      deps.resetRateLimit();
      return { status: 204, body: null };
    default:
      throw Errors.notFound();
  }
}
