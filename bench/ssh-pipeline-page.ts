// Bench page (bundled by bench/ssh.bench.ts, served by the harness server): the same xterm.js binding the app's
// terminal tab uses (attachTerminal), on the real contract client over the harness WebSocket. It times output
// flowing sshd → core → contract → xterm against writing the same bytes to an xterm directly.
import { benchPageClient } from './bench-page-client';
import { attachTerminal, createTerminal } from '../src/renderer/src/terminal/attach-terminal';

const decoder = new TextDecoder();
/** The text at the end of an output event, enough to spot an end marker without decoding the whole flood. */
const tailText = (bytes: Uint8Array): string => decoder.decode(bytes.subarray(-200));

const client = benchPageClient();

// Host keys are accepted here: the bench measures throughput, not the prompt.
client.on('ssh.prompt', (p) => {
  if (p.kind === 'hostKey')
    void client.call('ssh.answer', { sessionId: p.sessionId, promptId: p.promptId, accept: true });
});

function box(): HTMLDivElement {
  document.body.replaceChildren();
  const div = document.createElement('div');
  div.style.width = '1000px';
  div.style.height = '600px';
  document.body.append(div);
  return div;
}

const opts = { fontSize: 14, scrollback: 10_000 };

/** A session opened, attached to a terminal and quiet, ready for a flood; then the flood; then the close. */
let prepared: { sessionId: string; t: ReturnType<typeof attachTerminal>; host: HTMLElement } | null = null;

async function viaCoreOpen(workspaceId: string, serviceId: string, ackEvery?: number): Promise<void> {
  const host = box();
  const info = await client.call('ssh.open', { workspaceId, serviceId, cols: 100, rows: 30 });
  const t = attachTerminal(host, info.sessionId, client, opts, ackEvery);
  await new Promise<void>((resolve) => {
    const off = client.on('ssh.state', (s) => {
      if (s.sessionId === info.sessionId && s.state === 'connected') {
        off();
        resolve();
      }
    });
  });
  // Let the shell start and silence the echo before the flood is timed.
  await new Promise((r) => setTimeout(r, 1000));
  client.call('ssh.input', { sessionId: info.sessionId, data: 'stty -echo; clear\n' }).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 500));
  prepared = { sessionId: info.sessionId, t, host };
}

/** Times the flood (`command`'s output, e.g. `cat` of the bench's flood file) until its end marker is parsed by xterm. */
async function viaCoreFlood(command: string): Promise<number> {
  const { sessionId, t, host } = prepared!;
  const seen = (pattern: RegExp) =>
    new Promise<void>((resolve) => {
      let text = '';
      const off = client.on('ssh.data', (d) => {
        if (d.sessionId !== sessionId) return;
        text = (text + tailText(d.data)).slice(-200);
        if (pattern.test(text)) {
          off();
          // Everything queued before this empty write has been parsed once its callback runs.
          t.terminal.write('', () => resolve());
        }
      });
    });
  let events = 0;
  let bytesSeen = 0;
  let renders = 0;
  // Idle gaps: how long xterm had parsed everything it was given and waited for the next event (the page starved).
  // An empty write after each event's own write calls back once everything queued so far is parsed.
  let queued = 0;
  let dryFrom: number | null = null;
  let dryMs = 0;
  let dryGaps = 0;
  let firstAt = 0;
  let started = 0;
  const timeline: Array<[number, number]> = [];
  (window as unknown as { benchTimeline: unknown }).benchTimeline = timeline;
  const onRender = t.terminal.onRender(() => renders++);
  const offCount = client.on('ssh.data', (d) => {
    if (d.sessionId !== sessionId) return;
    const now = performance.now();
    if (events === 0) firstAt = now - started;
    events++;
    bytesSeen += d.data.byteLength;
    if (dryFrom !== null) {
      dryMs += now - dryFrom;
      dryGaps++;
      dryFrom = null;
    }
    queued++;
    timeline.push([performance.timeOrigin + now, d.data.byteLength]);
    t.terminal.write('', () => {
      timeline.push([performance.timeOrigin + performance.now(), -1]);
      if (--queued === 0) dryFrom = performance.now();
    });
  });
  started = performance.now();
  const done = seen(/END-42/);
  await client.call('ssh.input', {
    sessionId,
    data: `${command}; echo; echo END-$((40+2))\n`,
  });
  await done;
  offCount();
  onRender.dispose();
  const ms = performance.now() - started;
  (window as unknown as { benchLast: unknown }).benchLast = {
    events,
    bytes: bytesSeen,
    ms,
    renders,
    firstMs: Math.round(firstAt),
    dryMs: Math.round(dryMs),
    dryGaps,
    cols: t.terminal.cols,
    rows: t.terminal.rows,
    renderer: host.dataset.renderer,
  };
  return ms;
}

async function viaCoreClose(): Promise<void> {
  const { sessionId, t } = prepared!;
  prepared = null;
  await client.call('ssh.close', { sessionId });
  t.dispose();
}

async function viaCore(workspaceId: string, serviceId: string, command: string): Promise<number> {
  await viaCoreOpen(workspaceId, serviceId);
  const ms = await viaCoreFlood(command);
  await viaCoreClose();
  return ms;
}

/**
 * The same bytes written to an xterm directly, in the same page, box and terminal set-up the app's tabs use (addons,
 * renderer choice, fitted to the same size), with the xterm.js flow-control recipe: write callbacks and a bounded
 * amount in flight. As bytes (what the pipeline writes) or as a string (what it wrote before).
 */
async function direct(bytes: number, as: 'bytes' | 'string'): Promise<number> {
  const host = box();
  const { terminal, fitAddon } = createTerminal(host, opts);
  fitAddon.fit();
  const CHUNK = 64 * 1024;
  const chunk = as === 'bytes' ? new Uint8Array(CHUNK).fill(0x78) : 'x'.repeat(CHUNK);
  let renders = 0;
  terminal.onRender(() => renders++);
  const started = performance.now();
  await new Promise<void>((resolve) => {
    let sent = 0;
    let inFlight = 0;
    const pump = () => {
      while (sent < bytes && inFlight < 8) {
        const n = Math.min(CHUNK, bytes - sent);
        sent += n;
        inFlight++;
        terminal.write(n === CHUNK ? chunk : chunk.slice(0, n), () => {
          inFlight--;
          if (sent >= bytes && inFlight === 0) resolve();
          else pump();
        });
      }
    };
    pump();
  });
  const ms = performance.now() - started;
  (window as unknown as { benchDirectLast: unknown }).benchDirectLast = {
    renders,
    ms,
    cols: terminal.cols,
    rows: terminal.rows,
    renderer: host.dataset.renderer,
  };
  terminal.dispose();
  return ms;
}

/** The same flood with every chunk acknowledged on arrival and nothing drawn: the transport's own pace. */
let carrying: {
  sessionId: string;
  off: () => void;
  expect: (pattern: RegExp) => Promise<void>;
  counted: () => number;
} | null = null;

async function transportOpen(workspaceId: string, serviceId: string): Promise<void> {
  const info = await client.call('ssh.open', { workspaceId, serviceId, cols: 117, rows: 37 });
  let text = '';
  let resolveDone: (() => void) | null = null;
  let pattern = /\$ $/;
  let events = 0;
  const off = client.on('ssh.data', (d) => {
    if (d.sessionId !== info.sessionId) return;
    events++;
    void client.call('ssh.ack', { sessionId: info.sessionId, bytes: d.data.byteLength });
    text = (text + tailText(d.data)).slice(-200);
    if (resolveDone && pattern.test(text)) {
      resolveDone();
      resolveDone = null;
    }
  });
  const expect = (next: RegExp) => {
    pattern = next;
    events = 0;
    return new Promise<void>((r) => (resolveDone = r));
  };
  await client.call('ssh.attach', { sessionId: info.sessionId, cols: 117, rows: 37 });
  await new Promise((r) => setTimeout(r, 2500));
  await client.call('ssh.input', { sessionId: info.sessionId, data: 'stty -echo\n' });
  await new Promise((r) => setTimeout(r, 500));
  carrying = { sessionId: info.sessionId, off, expect, counted: () => events };
}

async function transportFlood(command: string): Promise<number> {
  const { sessionId, expect, counted } = carrying!;
  const started = performance.now();
  const done = expect(/END-42/);
  await client.call('ssh.input', {
    sessionId,
    data: `${command}; echo; echo END-$((40+2))\n`,
  });
  await done;
  const ms = performance.now() - started;
  (window as unknown as { benchTransportLast: unknown }).benchTransportLast = { events: counted(), ms };
  return ms;
}

async function transportClose(): Promise<void> {
  const { sessionId, off } = carrying!;
  carrying = null;
  off();
  await client.call('ssh.close', { sessionId });
}

async function transportOnly(workspaceId: string, serviceId: string, command: string): Promise<number> {
  await transportOpen(workspaceId, serviceId);
  const ms = await transportFlood(command);
  await transportClose();
  return ms;
}

// Each run in three steps too, so the bench reads each process's CPU around the flood alone (not the connect, the
// shell's start and the waits around them).
Object.assign(window, {
  benchViaCore: viaCore,
  benchViaCoreOpen: viaCoreOpen,
  benchViaCoreFlood: viaCoreFlood,
  benchViaCoreClose: viaCoreClose,
  benchDirect: direct,
  benchTransport: transportOnly,
  benchTransportOpen: transportOpen,
  benchTransportFlood: transportFlood,
  benchTransportClose: transportClose,
});
// Ready once the harness socket is up (calls made before would fail fast as 'unavailable').
const offStatus = client.onStatus((up) => {
  if (!up) return;
  document.title = 'ready';
  queueMicrotask(() => offStatus());
});
