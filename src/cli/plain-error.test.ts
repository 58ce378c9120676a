// Node's file and socket errors reach the technician as plain sentences (runCli in-process, sitehop sandbox's state
// file and port): they printed errno text ("ENOENT: no such file or directory, open '…'", "listen EADDRINUSE: …").
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainMessage } from './plain-error';
import { runCli } from './run';
import { runningIo } from './testing/capture-io';

let dir: string;
let busy: Server;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sitehop-plain-error-'));
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const sandbox = async (args: string[]) => {
  const t = runningIo();
  const code = await runCli(['sandbox', ...args], t.io);
  return { code, out: t.out(), err: t.err() };
};

describe('file and socket errors in plain words', () => {
  it('a state file that is missing', async () => {
    const missing = path.join(dir, 'nope', 'state.json');
    expect(await sandbox(['--state', missing])).toEqual({
      code: 1,
      out: '',
      err: `sitehop sandbox: ${missing} does not exist.\n`,
    });
  });

  it('a port already in use', async () => {
    const { port } = busy.address() as { port: number };
    expect(await sandbox(['--port', String(port)])).toEqual({
      code: 1,
      out: '',
      err: `sitehop sandbox: 127.0.0.1:${port} is already in use (by another program, or a sitehop sandbox already running).\n`,
    });
  });

  it('any other error keeps its own message', () => {
    expect(plainMessage(new Error('The workspace needs a name.'))).toBe('The workspace needs a name.');
    const odd = Object.assign(new Error('EWHATEVER: odd, read'), { code: 'EWHATEVER', syscall: 'read' });
    expect(plainMessage(odd)).toBe('EWHATEVER: odd, read');
    expect(plainMessage('text')).toBe('text');
  });
});
