import type { EventName, Result } from '../../../shared/contract';

/** How the renderer reaches the core: Electron IPC through the preload, or the harness WebSocket. */
export interface Transport {
  readonly kind: 'electron' | 'harness' | 'missing';
  invoke(name: string, input: unknown): Promise<Result<unknown>>;
  subscribe(name: EventName, listener: (payload: unknown) => void): () => void;
  /** Connection state changes (the harness socket can drop; IPC cannot). */
  onStatus(listener: (connected: boolean) => void): () => void;
  /** Set when no back end can be reached at all: the UI shows this sentence instead of the app. */
  readonly fatal?: string;
}
