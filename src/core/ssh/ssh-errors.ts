// Why a connection failed or ended, as a kind the UI and the CLI act on plus one sentence for the technician.
export type SshFailureKind =
  | 'agent_offline'
  | 'refused_by_edge'
  | 'unreachable'
  | 'timeout'
  | 'auth'
  | 'cancelled'
  | 'host_key_changed'
  | 'host_key_refused'
  | 'keepalive'
  | 'lost'
  | 'key_file'
  /** The service was removed from the ngrok account. */
  | 'gone'
  | 'protocol';

export class SshFailure extends Error {
  constructor(
    readonly kind: SshFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'SshFailure';
  }
}

/** Whether trying again later may help on its own (auto-reconnect retries only these). */
export function isTransient(kind: SshFailureKind): boolean {
  return (
    kind === 'refused_by_edge' ||
    kind === 'unreachable' ||
    kind === 'timeout' ||
    kind === 'keepalive' ||
    kind === 'lost' ||
    kind === 'agent_offline'
  );
}
