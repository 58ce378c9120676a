// `sitehop sandbox` in-process: prints the API URL and demo key, serves real HTTP, closes everything on stop.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../run';
import { runningIo } from '../testing/capture-io';

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', () => resolve(true));
  });
}

describe('sitehop sandbox', () => {
  it('serves a generated fleet until stopped, then closes its listeners and exits 0', async () => {
    const t = runningIo();
    const done = runCli(
      ['sandbox', '--sites', '2', '--devices', '4', '--seed', '7', '--rate-limit', '500'],
      t.io,
    );
    await Promise.race([t.printed, done]);
    const url = /API URL:\s+(\S+)/.exec(t.out())![1]!;
    expect(t.out()).toContain('API key:    sitehop-demo-key');
    const res = await fetch(`${url}/tunnel_sessions`, {
      headers: { authorization: 'Bearer sitehop-demo-key', 'ngrok-version': '2' },
    });
    expect(res.status).toBe(200);
    t.stop();
    expect(await done).toBe(0);
    expect(await refused(Number(new URL(url).port))).toBe(true);
  });

  it('serves a --state file, giving loopback cloud endpoints at port 0 free ports', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sitehop-sandbox-'));
    try {
      const file = path.join(dir, 'state.json');
      await writeFile(
        file,
        JSON.stringify({
          endpoints: [
            { id: 'ep_1', type: 'cloud', url: 'tcp://127.0.0.1:0', created_at: '2025-01-01T00:00:00Z' },
          ],
        }),
      );
      const t = runningIo();
      const done = runCli(['sandbox', '--state', file], t.io);
      await Promise.race([t.printed, done]);
      const url = /API URL:\s+(\S+)/.exec(t.out())![1]!;
      const body = (await (
        await fetch(`${url}/endpoints`, {
          headers: { authorization: 'Bearer sitehop-demo-key', 'ngrok-version': '2' },
        })
      ).json()) as { endpoints: Array<{ port: number }> };
      expect(body.endpoints[0]!.port).toBeGreaterThan(0);
      t.stop();
      expect(await done).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a non-loopback host and bad flags with a usage error', async () => {
    for (const args of [
      ['--host', '0.0.0.0'],
      ['--sites', 'x'],
      ['--state', 'a.json', '--sites', '2'],
      ['--bogus'],
    ]) {
      const t = runningIo();
      expect(await runCli(['sandbox', ...args], t.io)).toBe(2);
      expect(t.err()).toContain('sitehop sandbox:');
    }
  });

  it('reports an unreadable state file as a failure', async () => {
    const t = runningIo();
    expect(await runCli(['sandbox', '--state', '/nonexistent/state.json'], t.io)).toBe(1);
  });
});

describe('sitehop sandbox as a process', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('exits 0 on %s after closing its listeners', async (signal) => {
    const { spawn } = await import('node:child_process');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sitehop-sandbox-'));
    const file = path.join(dir, 'state.json');
    await writeFile(
      file,
      JSON.stringify({ endpoints: [{ id: 'ep_1', type: 'cloud', url: 'tcp://127.0.0.1:0' }] }),
    );
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/index.ts', 'sandbox', '--state', file],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /API URL:\s+(\S+)/.exec(out);
        if (m && out.includes('Ctrl+C')) resolve(m[1]!);
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (code) => reject(new Error(`exited early with ${code}: ${out}${err}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill(signal);
    expect(await exited).toBe(0);
    expect(out).toContain('sandbox stopped');
    expect(await refused(Number(new URL(url).port))).toBe(true);
    await rm(dir, { recursive: true, force: true });
  });
});
