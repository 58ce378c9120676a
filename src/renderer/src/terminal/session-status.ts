// What each SSH tab's terminal says about its session (its header's words), for the tab strip: only the terminal
// knows its pending questions and whether the shell ended, and the strip's screen-reader name said core's bare
// state ("connecting") while the session waited for the technician's answer to the host key.
import { create } from 'zustand';

export const useTerminalStatus = create<{ words: Record<string, string> }>(() => ({ words: {} }));

/** Sets (or, with null, forgets) the words a session's terminal shows. */
export function publishTerminalStatus(sessionId: string, words: string | null): void {
  useTerminalStatus.setState((s) => {
    if ((s.words[sessionId] ?? null) === words) return s;
    const next = { ...s.words };
    if (words === null) delete next[sessionId];
    else next[sessionId] = words;
    return { words: next };
  });
}
