// The command registry: each command lives in its own file here and is listed once below.
import type { CliCommand } from '../io';

export const commands: CliCommand[] = [];
