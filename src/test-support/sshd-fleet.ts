// The fleet the tests put behind the real test sshd: one site of two devices generated with seed 7 (so the same
// names and ids every time: two sandboxes of it are two customers whose device ids are equal), each SSH service
// forwarding through the sandbox's loopback edge to the test sshd, no RDP. A fresh copy each call: callers edit it.
import { generateFleet } from '../sandbox/generate/fleet';
import type { SandboxStateFile } from '../sandbox/index';
import { testEnv, TestEnvNames } from './test-env';

export function sshdFleet(): SandboxStateFile {
  return generateFleet({
    sites: 1,
    devices: 2,
    seed: 7,
    edgeHost: '127.0.0.1',
    sshUpstream: `tcp://127.0.0.1:${testEnv(TestEnvNames.sshdPort)}`,
    rdpUpstream: null,
  });
}
