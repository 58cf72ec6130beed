import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assetPath } from '../assets';

/** DejaVu Sans: covers every precomposed Vietnamese letter (licence: assets/fonts/README.md). */
const FONT_FILE = 'DejaVuSans.ttf';

let cached: Uint8Array | null = null;

/**
 * Bytes of the font the PDFs embed. `MOTCUA_FONTS_DIR` wins (packaged app: the unpacked assets folder);
 * otherwise the repository's `assets/fonts`, so a developer checkout and the tests work as they are.
 */
export function textFontBytes(env: NodeJS.ProcessEnv = process.env): Uint8Array {
  if (cached) return cached;
  const dir = env.MOTCUA_FONTS_DIR?.trim() || assetPath('fonts');
  cached = new Uint8Array(readFileSync(join(dir, FONT_FILE)));
  return cached;
}
