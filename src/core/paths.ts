// Where SiteHop keeps its data. SITEHOP_HOME wins (tests, the harness, portable installs); otherwise the
// platform's usual app-data folder, matching what Electron's app.getPath('userData') would pick.
import os from 'node:os';
import path from 'node:path';

export function defaultHome(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.SITEHOP_HOME) return path.resolve(env.SITEHOP_HOME);
  const home = env.HOME ?? env.USERPROFILE ?? os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'SiteHop');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'SiteHop');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'sitehop');
}
