// The terminal tab's content: one xterm.js terminal bound to one SSH session of the core (see TerminalSession.tsx).
export { TerminalSession, type TerminalSessionProps } from './TerminalSession';
