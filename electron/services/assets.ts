import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the app's bundled data lives (fonts, calendar tables, catalog, form templates): `MOTCUA_ASSETS_DIR`
 * (packaged app: resources/assets), else the repository's `assets/`. This module sits two folders below the
 * root, as the bundled main process does (dist/electron/), so the relative path is right in both.
 */
export function assetPath(...parts: string[]): string {
  const root =
    process.env.MOTCUA_ASSETS_DIR?.trim() || fileURLToPath(new URL('../../assets', import.meta.url));
  return join(root, ...parts);
}
