import type { EventHub } from './rpc/event-hub';

/** Emits app.heartbeat every `intervalMs`; returns a stop function. The timer never keeps the process alive. */
export function startHeartbeat(
  hub: EventHub,
  intervalMs: number,
  now: () => Date = () => new Date(),
): () => void {
  let seq = 0;
  const tick = (): void => hub.emit('app.heartbeat', { seq: seq++, at: now().toISOString() });
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
