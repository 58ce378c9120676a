// Wire messages of the browser harness WebSocket. The harness carries exactly the contract in ./contract:
// a call travels as {t:'call'}, its result as {t:'result'}, events as {t:'event'}.
import { z } from 'zod';
import { RpcError } from './contract';

export const ClientMessage = z.object({
  t: z.literal('call'),
  id: z.number().int().nonnegative(),
  name: z.string().max(100),
  input: z.unknown(),
});
export type ClientMessage = z.infer<typeof ClientMessage>;

export const ServerMessage = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('result'),
    id: z.number().int().nonnegative().nullable(),
    result: z.union([
      z.object({ ok: z.literal(true), value: z.unknown() }),
      z.object({ ok: z.literal(false), error: RpcError }),
    ]),
  }),
  z.object({ t: z.literal('event'), name: z.string(), payload: z.unknown() }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/** The WebSocket path; the per-run token travels as ?token= on it. */
export const HARNESS_WS_PATH = '/ws';
