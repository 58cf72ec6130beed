import { homedir } from 'node:os';
import { join } from 'node:path';

/** Folder name under the OS application-data folder; Electron's main process uses the same one. */
export const APP_FOLDER_NAME = 'MotCua Desk';

/**
 * The data directory: `MOTCUA_DATA_DIR` when set, else the OS user-data folder Electron would use
 * (%APPDATA% on Windows, ~/Library/Application Support on macOS, $XDG_CONFIG_HOME or ~/.config on Linux).
 */
export function resolveDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const explicit = env.MOTCUA_DATA_DIR?.trim();
  if (explicit) return explicit;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_FOLDER_NAME);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_FOLDER_NAME);
}
