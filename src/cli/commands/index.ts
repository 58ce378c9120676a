// The command registry: each command lives in its own file here and is listed once below.
import type { CliCommand } from '../io';
import { devicesCommand } from './devices';
import { hostKeysCommand } from './host-keys';
import { rdpClientCommand, rdpCommand } from './rdp';
import { sandboxCommand } from './sandbox';
import { sitesCommand } from './sites';
import { sshCommand } from './ssh';
import { syncCommand } from './sync';
import { workspaceCommand } from './workspace';

export const commands: CliCommand[] = [
  workspaceCommand,
  syncCommand,
  sitesCommand,
  devicesCommand,
  sshCommand,
  hostKeysCommand,
  rdpCommand,
  rdpClientCommand,
  sandboxCommand,
];
