#!/usr/bin/env node
// Thin launcher: the CLI is built to out/node/cli.js by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../out/node/cli.js', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('sitehop: not built yet. Run "npm run build" in the SiteHop checkout first.\n');
  process.exit(1);
}
await import(pathToFileURL(built).href);
