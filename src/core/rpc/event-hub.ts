// Typed event fan-out from core services to whichever transports are attached (IPC windows, WebSocket clients).
// Payloads are validated at emit, so a transport never forwards something the contract does not describe.
import { events, type EventName, type EventPayload } from '../../shared/contract';

export type EventListener = (name: EventName, payload: unknown) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();

  emit<N extends EventName>(name: N, payload: EventPayload<N>): void {
    const checked = events[name].parse(payload);
    for (const listener of this.listeners) listener(name, checked);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}
