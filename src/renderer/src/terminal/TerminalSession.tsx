// One SSH session in a tab: the xterm.js terminal, its prompts and its state line. The core owns the connection;
// this component only renders what 'ssh.data' carries, acknowledges it (flow control) and sends keys and sizes.
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import { client } from '../api/client';
import { attachTerminal } from './attach-terminal';

export interface TerminalSessionProps {
  sessionId: string;
  /** The visible tab: it takes the keyboard focus and refits to its container. */
  active: boolean;
}

export function TerminalSession({ sessionId, active }: TerminalSessionProps) {
  const host = useRef<HTMLDivElement>(null);
  const attached = useRef<ReturnType<typeof attachTerminal> | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const t = attachTerminal(host.current, sessionId, client);
    attached.current = t;
    return () => {
      attached.current = null;
      t.dispose();
    };
  }, [sessionId]);

  useEffect(() => {
    if (active) attached.current?.focus();
  }, [active]);

  return <div className="terminal-session" data-session-id={sessionId} ref={host} />;
}
