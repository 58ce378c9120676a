// Binds one xterm.js terminal to one core SSH session: output in (acknowledged after xterm has parsed it, so the
// core can hold the channel while the terminal is behind), keys and sizes out. Kept free of React so the session
// tab, the bench and tests can drive it the same way.
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { Terminal } from '@xterm/xterm';
import type { SshSessionInfo } from '../../../shared/session-types';
import type { Client } from '../api/client';
import { AckBatcher } from './ack-batcher';

export interface TerminalOptions {
  fontSize: number;
  scrollback: number;
}

export interface AttachedTerminal {
  terminal: Terminal;
  /** The session as the core saw it when this terminal attached. */
  attached: Promise<SshSessionInfo>;
  search: SearchAddon;
  fit(): void;
  focus(): void;
  setOptions(options: Partial<TerminalOptions>): void;
  dispose(): void;
}

export const DEFAULT_TERMINAL_OPTIONS: TerminalOptions = { fontSize: 14, scrollback: 10_000 };

/**
 * Whether WebGL runs on a GPU. Without one, Chromium emulates WebGL in software (SwiftShader, llvmpipe), which is
 * far slower than xterm's DOM renderer: a flood then crawls at a frame per chunk.
 */
export function hardwareWebgl(doc: Document = document): boolean {
  try {
    const gl = doc.createElement('canvas').getContext('webgl2');
    if (!gl) return false;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(
      info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER),
    );
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return !/swiftshader|llvmpipe|softpipe|software/i.test(renderer);
  } catch {
    return false;
  }
}

let webglUsable: boolean | null = null;

function loadRenderer(terminal: Terminal): 'webgl' | 'dom' {
  // WebGL is much faster on floods when a GPU draws it; otherwise (or when its context is lost) xterm's DOM
  // renderer takes over.
  webglUsable ??= hardwareWebgl();
  if (!webglUsable) return 'dom';
  try {
    const webgl = new WebglAddon();
    webgl.onContextLoss(() => webgl.dispose());
    terminal.loadAddon(webgl);
    return 'webgl';
  } catch {
    return 'dom';
  }
}

/** A terminal set up as the app's tabs use it (addons, renderer), not yet bound to a session. */
export function createTerminal(host: HTMLElement, options: TerminalOptions = DEFAULT_TERMINAL_OPTIONS) {
  const terminal = new Terminal({
    fontSize: options.fontSize,
    scrollback: options.scrollback,
    allowProposedApi: true,
    cursorBlink: true,
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
  });
  const fitAddon = new FitAddon();
  const search = new SearchAddon();
  terminal.loadAddon(fitAddon);
  terminal.loadAddon(search);
  terminal.loadAddon(new WebLinksAddon());
  terminal.loadAddon(new Unicode11Addon());
  terminal.unicode.activeVersion = '11';
  terminal.open(host);
  const renderer = loadRenderer(terminal);
  host.dataset.renderer = renderer;
  return { terminal, fitAddon, search, renderer };
}

export function attachTerminal(
  host: HTMLElement,
  sessionId: string,
  api: Pick<Client, 'call' | 'on'>,
  options: TerminalOptions = DEFAULT_TERMINAL_OPTIONS,
  /** Acknowledge parsed output in steps of this many bytes (AckBatcher's default otherwise; for the bench's A/B). */
  ackEvery?: number,
): AttachedTerminal {
  const { terminal, fitAddon, search } = createTerminal(host, options);

  const ignore = (): void => undefined;
  const acks = new AckBatcher({
    send: (bytes) => void api.call('ssh.ack', { sessionId, bytes }).catch(ignore),
    ...(ackEvery ? { threshold: ackEvery } : {}),
  });
  // Bytes go to xterm.js as they come: it decodes UTF-8 itself and queues writes in its own buffer, parsing as many
  // as fit in a time slice (so a flood is parsed in large pieces, not a frame per event). Its callback fires once
  // these bytes are parsed, which is when core may send more (see AckBatcher).
  const offData = api.on('ssh.data', (p) => {
    if (p.sessionId !== sessionId) return;
    const bytes = p.data.byteLength;
    terminal.write(p.data, () => acks.written(bytes));
  });
  const onInput = terminal.onData((data) => void api.call('ssh.input', { sessionId, data }).catch(ignore));
  let lastSize = '';
  const sendSize = (): void => {
    const size = `${terminal.cols}x${terminal.rows}`;
    if (size === lastSize) return;
    lastSize = size;
    void api.call('ssh.resize', { sessionId, cols: terminal.cols, rows: terminal.rows }).catch(ignore);
  };
  const onResize = terminal.onResize(sendSize);
  const fit = (): void => {
    // A hidden tab has no size; fitting it would shrink the remote pty to nothing.
    if (host.clientWidth === 0 || host.clientHeight === 0) return;
    try {
      fitAddon.fit();
    } catch {
      // Not laid out yet.
    }
  };
  const observer = new ResizeObserver(() => fit());
  observer.observe(host);
  fit();
  // Attaching tells the core this terminal is ready: held output and pending prompts come now, at this size.
  lastSize = `${terminal.cols}x${terminal.rows}`;
  const attached = api.call('ssh.attach', { sessionId, cols: terminal.cols, rows: terminal.rows });
  attached.catch(ignore);

  return {
    terminal,
    attached,
    search,
    fit,
    focus: () => {
      fit();
      terminal.focus();
    },
    setOptions: (next) => {
      if (next.fontSize !== undefined) terminal.options.fontSize = next.fontSize;
      if (next.scrollback !== undefined) terminal.options.scrollback = next.scrollback;
      fit();
    },
    dispose: () => {
      observer.disconnect();
      offData();
      onInput.dispose();
      onResize.dispose();
      acks.dispose();
      terminal.dispose();
    },
  };
}
