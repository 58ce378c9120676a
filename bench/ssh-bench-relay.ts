// Child process of bench/ssh.bench.ts: the relay side (the sandbox edge in front of the test sshd, and a sandbox
// account whose SSH service goes through its own edge), in a process of its own as ngrok's edge is for real, so
// the relay does not share an event loop with the client being measured. Reports its ports over IPC.
import { generateFleet } from '../src/sandbox/generate/fleet';
import { startSandbox } from '../src/sandbox/index';
import { edgeTo } from '../src/core/ssh/testing/edge-to';
import { testEnv, TestEnvNames } from '../src/test-support/test-env';

const sshdPort = Number(testEnv(TestEnvNames.sshdPort));
const edge = await edgeTo(sshdPort);
const state = generateFleet({
  sites: 1,
  devices: 2,
  seed: 7,
  edgeHost: '127.0.0.1',
  sshUpstream: `tcp://127.0.0.1:${sshdPort}`,
  rdpUpstream: null,
});
const user = testEnv(TestEnvNames.sshUser);
for (const ep of state.endpoints ?? [])
  if (typeof ep.metadata === 'string')
    ep.metadata = ep.metadata.replace('"username":"tech"', `"username":"${user}"`);
const sandbox = await startSandbox({ state });
process.send?.({ edgePort: edge.port, apiUrl: sandbox.apiUrl, apiKey: sandbox.apiKey });
process.on('disconnect', () => {
  void Promise.all([edge.close(), sandbox.close()]).then(() => process.exit(0));
});
