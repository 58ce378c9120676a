// One SSH session in a tab: the xterm.js terminal, the questions the connection asks (host key, username,
// password, passphrase, keyboard-interactive), the session state with Reconnect and auto-reconnect, and the
// terminal's own tools (find, font size, scrollback, copy on select, paste with confirmation for several lines).
// The core owns the connection; this component renders 'ssh.data', acknowledges it, and sends keys and sizes.
import '@xterm/xterm/css/xterm.css';
import './terminal.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SearchAddon } from '@xterm/addon-search';
import type { SshPrompt, SshSessionInfo } from '../../../shared/session-types';
import { client } from '../api/client';
import { appStore, useAppStore } from '../store';
import { sessionStateWords, shellEnded } from '../store/format';
import { attachTerminal, type AttachedTerminal, type TerminalOptions } from './attach-terminal';
import { FindBar } from './FindBar';
import { PromptForm, type PromptReply } from './PromptForm';
import { publishTerminalStatus } from './session-status';
import {
  FONT_SIZES,
  SCROLLBACK_CHOICES,
  lineCount,
  loadTerminalPrefs,
  needsPasteConfirmation,
  saveTerminalPrefs,
} from './terminal-prefs';

export interface TerminalSessionProps {
  sessionId: string;
  /** The visible tab: it takes the keyboard focus and refits to its container. */
  active: boolean;
  /** The tab's "site / device", named in the session's header. */
  title: string;
  /** The header's Close session (the tab asks first while the session is live). */
  onClose: () => void;
}

const ignore = (): void => undefined;

export function TerminalSession({ sessionId, active, title, onClose }: TerminalSessionProps) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<AttachedTerminal | null>(null);
  const [info, setInfo] = useState<SshSessionInfo | null>(null);
  const [prompts, setPrompts] = useState<SshPrompt[]>([]);
  /** The open find bar's search addon (null = closed). */
  const [finder, setFinder] = useState<SearchAddon | null>(null);
  const [prefs, setPrefs] = useState<TerminalOptions>(() => loadTerminalPrefs());
  const [pasteAsk, setPasteAsk] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  /** The technician's click on "Reconnect automatically" until the core confirms it (null: the core's word). */
  const [autoWanted, setAutoWanted] = useState<boolean | null>(null);
  const autoCalls = useRef(0);
  const workspaceId = useAppStore((s) => s.workspaceId);
  /** A question is open above the terminal (the connection's, or the paste's): Tab is the page's, not the shell's. */
  const asking = useRef(false);
  useEffect(() => {
    asking.current = prompts.length > 0 || pasteAsk !== null;
  }, [prompts.length, pasteAsk]);

  useEffect(() => {
    // The palette is the keyboard's way out of a terminal: have its code loaded before the first Ctrl+Shift+K.
    void import('../components/CommandPalette');
  }, []);

  useEffect(() => {
    if (!host.current) return;
    const t = attachTerminal(host.current, sessionId, client, loadTerminalPrefs());
    term.current = t;
    t.attached.then(setInfo, ignore);
    const offState = client.on('ssh.state', (s) => {
      if (s.sessionId !== sessionId) return;
      setInfo(s);
      // A prompt never outlives the attempt that asked it.
      if (s.state !== 'connecting' && s.state !== 'authenticating') setPrompts([]);
    });
    const offPrompt = client.on('ssh.prompt', (p) => {
      if (p.sessionId !== sessionId) return;
      setPrompts((old) => (old.some((q) => q.promptId === p.promptId) ? old : [...old, p]));
    });
    // Copy on select, as in most terminals on Linux: a selection made with the mouse, once the button is up. Not
    // any selection change: Find selects each match, which replaced what the technician had copied.
    const onMouseUp = () => {
      const text = t.terminal.getSelection();
      if (!text) return;
      navigator.clipboard?.writeText(text).then(() => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1200);
      }, ignore);
    };
    // Several lines run as commands the moment they land: intercept the paste before xterm sees it.
    const onPaste = (e: ClipboardEvent) => {
      const text = e.clipboardData?.getData('text/plain') ?? '';
      if (!needsPasteConfirmation(text)) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      setPasteAsk(text);
    };
    const el = host.current;
    el.addEventListener('paste', onPaste, true);
    // The button may come up outside the terminal (a drag past its edge): listen on the document from the press.
    const onMouseDown = (e: MouseEvent) => {
      if (e.button === 0) document.addEventListener('mouseup', onMouseUp, { once: true });
    };
    el.addEventListener('mousedown', onMouseDown);
    t.terminal.attachCustomKeyEventHandler((e) => {
      // In a terminal the palette (the keyboard's only way out of one) is Ctrl+Shift+K, or Cmd+K on a Mac: that key
      // passes to the window (App's shortcuts). Plain Ctrl+K is the shell's (nano's cut line, readline's
      // kill-line), and the window never sees it.
      if (!e.altKey && e.key.toLowerCase() === 'k') {
        if ((e.ctrlKey && e.shiftKey) || (e.metaKey && !e.ctrlKey)) return false;
        if (e.ctrlKey) {
          e.stopPropagation();
          return true;
        }
      }
      // Keys typed while the palette opens are the palette's, never the shell's ("Ctrl+K frontdesk Enter" typed
      // fast on its first opening ran "frontdesk" in the shell): swallowed until its input has the focus.
      if (appStore.getState().paletteOpen) {
        if (e.type === 'keydown') e.preventDefault();
        return false;
      }
      // Tab past a question's last button landed here, and the shell's Tab and Shift+Tab kept the keyboard, the
      // question unanswered above: while one is open they move the focus as anywhere else.
      if (e.key === 'Tab' && asking.current) return false;
      if (e.type === 'keydown' && e.ctrlKey && e.shiftKey && e.code === 'KeyF') {
        setFinder(t.search);
        return false;
      }
      if (e.type === 'keydown' && e.ctrlKey && e.shiftKey && e.code === 'KeyC') {
        const text = t.terminal.getSelection();
        if (text) void navigator.clipboard?.writeText(text).catch(ignore);
        return false;
      }
      return true;
    });
    return () => {
      el.removeEventListener('paste', onPaste, true);
      el.removeEventListener('mousedown', onMouseDown);
      document.removeEventListener('mouseup', onMouseUp);
      offState();
      offPrompt();
      term.current = null;
      t.dispose();
    };
  }, [sessionId]);

  useEffect(() => {
    if (active && prompts.length === 0 && !finder) term.current?.focus();
    else if (active) term.current?.fit();
  }, [active, prompts.length, finder]);

  const changePrefs = useCallback((patch: Partial<TerminalOptions>) => {
    setPrefs((old) => {
      const next = { ...old, ...patch };
      saveTerminalPrefs(next);
      term.current?.setOptions(next);
      return next;
    });
  }, []);

  /** Whether the last answer given in this tab was to be remembered: a password asked again starts with it. */
  const [rememberAsked, setRememberAsked] = useState(false);
  const reply = (prompt: SshPrompt, r: PromptReply) => {
    if (r.accept && r.answers) setRememberAsked(r.remember === true);
    setPrompts((old) => old.filter((p) => p.promptId !== prompt.promptId));
    void client
      .call('ssh.answer', {
        sessionId,
        promptId: prompt.promptId,
        accept: r.accept,
        ...(r.answers ? { answers: r.answers } : {}),
        ...(r.remember ? { remember: true } : {}),
      })
      .catch(ignore);
  };

  const reconnect = () => {
    // The keyboard goes back to the terminal: the banner leaves with this button as the session reconnects, and the
    // focus fell to the page's body (what was typed next reached nothing). A question the attempt asks takes it.
    term.current?.focus();
    void client.call('ssh.reconnect', { sessionId }).then(setInfo, ignore);
  };
  const state = info?.state ?? 'connecting';
  const down = state === 'disconnected' || state === 'failed';
  // The remote shell exited (`exit`): said plainly in a neutral look; red stays for a line that dropped.
  const ended = info !== null && shellEnded(info);
  const prompt = prompts[0];
  const waiting = prompt && (state === 'connecting' || state === 'authenticating');
  const words = sessionStateWords(info ?? { state }, prompt?.kind);
  // The tab strip names the session in the same words (its screen-reader name).
  useEffect(() => publishTerminalStatus(sessionId, words), [sessionId, words]);
  useEffect(() => () => publishTerminalStatus(sessionId, null), [sessionId]);

  return (
    <div className="terminal-session" data-session-id={sessionId} data-state={state}>
      {/* The session's one state, beside its name: the toolbar below showed it a second time, and its changing
          width moved the toolbar's controls. */}
      <div className="session-head">
        <strong className="session-title" title={title}>
          <SiteAndDevice title={title} />
        </strong>
        <span
          className={`terminal-state terminal-state-${waiting ? 'waiting' : ended ? 'ended' : state}`}
          role="status"
          aria-label="Session state"
          data-testid="session-state"
        >
          {words}
        </span>
        <span className="spacer" />
        <button type="button" onClick={onClose}>
          Close session
        </button>
      </div>
      <div className="terminal-toolbar" role="toolbar" aria-label="Terminal">
        <label className="terminal-auto">
          <input
            type="checkbox"
            // Ticked on the click: bound to the core's answer alone, the box sprang back and ticked itself only a
            // round trip later (a click seemed lost; a second one turned it off again).
            checked={autoWanted ?? info?.autoReconnect ?? false}
            onChange={(e) => {
              const on = e.target.checked;
              const call = ++autoCalls.current;
              setAutoWanted(on);
              void client
                .call('ssh.setAutoReconnect', { sessionId, on })
                .then(setInfo, ignore)
                // The last click's answer settles it (an earlier one's must not flip the box back meanwhile).
                .finally(() => autoCalls.current === call && setAutoWanted(null));
            }}
          />
          Reconnect automatically
        </label>
        <span className="spacer" />
        {copied && <span className="terminal-copied">Copied</span>}
        <button
          type="button"
          onClick={() => setFinder(term.current?.search ?? null)}
          title="Find in scrollback (Ctrl+Shift+F)"
        >
          Find
        </button>
        {/* Not `disabled` at a limit: a focused button that is disabled loses the focus (to the page's body), so
            pressing A− by keyboard down to the smallest size left the keys going nowhere. */}
        <button
          type="button"
          aria-label="Smaller text"
          aria-disabled={prefs.fontSize <= FONT_SIZES.min || undefined}
          onClick={() => prefs.fontSize > FONT_SIZES.min && changePrefs({ fontSize: prefs.fontSize - 1 })}
        >
          A−
        </button>
        <button
          type="button"
          aria-label="Larger text"
          aria-disabled={prefs.fontSize >= FONT_SIZES.max || undefined}
          onClick={() => prefs.fontSize < FONT_SIZES.max && changePrefs({ fontSize: prefs.fontSize + 1 })}
        >
          A+
        </button>
        <label>
          Scrollback
          <select
            value={prefs.scrollback}
            onChange={(e) => changePrefs({ scrollback: Number(e.target.value) })}
          >
            {SCROLLBACK_CHOICES.map((n) => (
              <option key={n} value={n}>
                {n.toLocaleString()} lines
              </option>
            ))}
          </select>
        </label>
      </div>
      {down && (
        <div className={`terminal-down${ended ? ' terminal-ended' : ''}`} role={ended ? 'status' : 'alert'}>
          <span>{info?.message ?? words}</span>
          <button type="button" className="primary" onClick={reconnect}>
            Reconnect
          </button>
          {/* What the messages point at (its addresses, allow list, host key, remembered passwords) is there.
              Only in the session's own workspace: tabs outlive a workspace switch and device ids are names, so
              elsewhere the button opened another workspace's device of the same name. */}
          {info && info.workspaceId === workspaceId && (
            <button type="button" onClick={() => appStore.getState().detailsOpened(info.deviceId)}>
              Device details
            </button>
          )}
        </div>
      )}
      {finder && <FindBar search={finder} onClose={() => setFinder(null)} />}
      {pasteAsk !== null && (
        <div
          className="terminal-prompt"
          role="alertdialog"
          aria-label="Paste several lines?"
          // The question takes the keyboard (it stayed in the terminal, where Enter and Escape went to the shell):
          // Enter pastes, Escape cancels, and either way the keyboard goes back to the terminal.
          onKeyDown={(e) => {
            if (e.key !== 'Escape') return;
            e.preventDefault();
            e.stopPropagation();
            setPasteAsk(null);
            term.current?.focus();
          }}
        >
          <p>
            Paste {lineCount(pasteAsk)} lines? Each line runs as a command as soon as it reaches the shell.
          </p>
          <div className="terminal-prompt-actions">
            <button
              type="button"
              className="primary"
              autoFocus
              onClick={() => {
                term.current?.terminal.paste(pasteAsk);
                setPasteAsk(null);
                term.current?.focus();
              }}
            >
              Paste
            </button>
            <button
              type="button"
              onClick={() => {
                setPasteAsk(null);
                term.current?.focus();
              }}
            >
              Cancel
            </button>
          </div>
        </div>
      )}
      {prompt && (
        <PromptForm
          key={prompt.promptId}
          prompt={prompt}
          rememberAsked={rememberAsked}
          onReply={(r) => reply(prompt, r)}
        />
      )}
      <div className="terminal-host" ref={host} aria-label={`Terminal ${info?.title ?? ''}`.trim()} />
    </div>
  );
}

/**
 * "site / device" in the header: a long site name gives way (ellipsis) before the device's, which says which
 * machine this shell is on (the whole title cut at its end hid it behind a long customer name on a small screen).
 */
function SiteAndDevice({ title }: { title: string }) {
  const cut = title.indexOf(' / ');
  if (cut < 0) return <span className="session-device">{title}</span>;
  return (
    <>
      <span className="session-site">{title.slice(0, cut)}</span>
      <span className="session-device">{title.slice(cut)}</span>
    </>
  );
}
