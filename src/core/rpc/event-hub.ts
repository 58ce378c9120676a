// Typed event fan-out from core services to whichever transports are attached (IPC windows, WebSocket clients).
// Payloads are validated at emit, so a transport never forwards something the contract does not describe.
// Listeners are isolated: one that throws (a destroyed window's webContents.send, a closed socket) is logged and
// skipped, and neither the other listeners nor the emitting service ever see its error.
import { events, type EventName, type EventPayload } from '../../shared/contract';

export type EventListener = (name: EventName, payload: unknown) => void;

export interface EventHubOptions {
  /** Receives a listener's error (one line goes to the log); default: dropped. */
  onListenerError?: (name: EventName, err: unknown) => void;
}

export class EventHub {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly options: EventHubOptions = {}) {}

  emit<N extends EventName>(name: N, payload: EventPayload<N>): void {
    const checked = events[name].parse(payload);
    for (const listener of this.listeners) {
      try {
        listener(name, checked);
      } catch (err) {
        try {
          this.options.onListenerError?.(name, err);
        } catch {
          // A failing logger must not turn back into the emitter's error either.
        }
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
