// `sitehop sandbox`: serves the local ngrok stand-in (REST API, TCP edge, demo SSH device) until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { loadStateFile, startSandbox, type StartSandboxOptions } from '../../sandbox/index';
import { ExitCode, UsageError, type CliCommand, type CliIo } from '../io';
import { usageMessage } from './parse';

const DEMO_FLEET = { sites: 3, devices: 8, seed: 1 };

function wholeNumber(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return Number(value);
}

const HELP = `Usage: sitehop sandbox [--port P] [--state FILE | --sites N --devices M --seed S [--edge-host H]]
                       [--rate-limit N] [--rdp-upstream tcp://127.0.0.1:3390]

Serves a local stand-in for ngrok (not ngrok; nothing leaves this machine) on 127.0.0.1 until Ctrl+C: the REST
API, a TCP edge for each cloud endpoint, and a demo SSH device. It prints its API URL and key; then
  SITEHOP_API_URL=URL SITEHOP_API_KEY=KEY sitehop devices
  --port P              the API's port (default: any free one)
  --state FILE          serve this account state (JSON; src/sandbox/README.md)
  --sites N --devices M --seed S
                        generate a fleet instead (default 3 sites, 8 devices, seed 1)
  --edge-host H         the host the generated endpoints' addresses name
  --rate-limit N        API requests allowed a minute (default 120, as ngrok; 0: no limit)
  --rdp-upstream tcp://HOST:PORT
                        where the fleet's RDP services lead (a real RDP server)
`;

async function optionsFrom(args: string[]): Promise<StartSandboxOptions> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        state: { type: 'string' },
        sites: { type: 'string' },
        devices: { type: 'string' },
        seed: { type: 'string' },
        'rate-limit': { type: 'string' },
        'edge-host': { type: 'string' },
        'rdp-upstream': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UsageError(usageMessage(err));
  }
  if (values.host !== undefined && values.host !== '127.0.0.1' && values.host !== 'localhost') {
    throw new UsageError(`the sandbox binds to loopback only (127.0.0.1), not ${values.host}`);
  }
  const fleetFlags =
    values.sites !== undefined ||
    values.devices !== undefined ||
    values.seed !== undefined ||
    values['edge-host'] !== undefined;
  if (values.state !== undefined && fleetFlags)
    throw new UsageError('give either --state FILE or --sites/--devices/--seed, not both');
  if (values['rdp-upstream'] !== undefined && !/^tcp:\/\/[^\s/:]+:\d{1,5}$/.test(values['rdp-upstream'])) {
    throw new UsageError('--rdp-upstream must look like tcp://127.0.0.1:3390');
  }
  const port = wholeNumber('port', values.port, 0, 65535);
  const rate = wholeNumber('rate-limit', values['rate-limit'], 0, 1_000_000);
  const opts: StartSandboxOptions = {
    ...(port !== undefined ? { port } : {}),
    ...(rate !== undefined ? { rateLimit: rate === 0 ? false : { max: rate, windowMs: 60_000 } } : {}),
    ...(values['rdp-upstream'] !== undefined ? { rdpUpstream: values['rdp-upstream'] } : {}),
  };
  if (values.state !== undefined) return { ...opts, state: await loadStateFile(values.state) };
  const sites = wholeNumber('sites', values.sites, 1, 10_000) ?? DEMO_FLEET.sites;
  const devices =
    wholeNumber('devices', values.devices, 0, 50_000) ??
    (values.sites !== undefined ? sites * 3 : DEMO_FLEET.devices);
  const seed = wholeNumber('seed', values.seed, 0, 2 ** 32 - 1) ?? DEMO_FLEET.seed;
  return {
    ...opts,
    generate: {
      sites,
      devices,
      seed,
      ...(values['edge-host'] !== undefined ? { edgeHost: values['edge-host'] } : {}),
    },
  };
}

async function run(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(HELP);
    return ExitCode.ok;
  }
  const opts = await optionsFrom(args);
  const sb = await startSandbox(opts);
  try {
    const agents = sb.store.agents();
    const offline = agents.filter((a) => !a.online).length;
    const lines = [
      'SiteHop sandbox: a local stand-in for the ngrok API (not ngrok; nothing leaves this machine)',
      `API URL:    ${sb.apiUrl}`,
      `API key:    ${sb.apiKey}`,
      `Admin API:  ${sb.adminUrl} (same key; see src/sandbox/README.md)`,
      `Account:    ${sb.store.list('endpoints').length} listed endpoints, ${sb.store.list('reserved_addrs').length} reserved addresses, ${agents.length} agents (${offline} offline)`,
      ...(sb.demoDevice
        ? [
            `Demo SSH:   127.0.0.1:${sb.demoDevice.port}, log in as demo / demo (host key ${sb.demoDevice.hostKeyFingerprint})`,
          ]
        : []),
      `Try:        SITEHOP_API_URL=${sb.apiUrl} SITEHOP_API_KEY=${sb.apiKey} sitehop <command>`,
      'Press Ctrl+C to stop.',
      '',
    ];
    io.stdout(lines.join('\n'));
    await io.stopSignal;
  } finally {
    await sb.close();
  }
  io.stdout('sandbox stopped\n');
  return ExitCode.ok;
}

export const sandboxCommand: CliCommand = {
  name: 'sandbox',
  summary: 'serve a local ngrok stand-in (API + TCP edge + demo device) for demos and tests',
  usage:
    'sandbox [--port P] [--state FILE | --sites N --devices M --seed S [--edge-host H]] [--rate-limit N] [--rdp-upstream tcp://127.0.0.1:3390]',
  run,
};
