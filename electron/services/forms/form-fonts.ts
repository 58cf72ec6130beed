import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assetPath } from '../assets';

/** Liberation Serif (SIL OFL 1.1, see assets/fonts/README.md): a serif with every Vietnamese letter. */
export const FORM_FONT_FILES = {
  regular: 'LiberationSerif-Regular.ttf',
  bold: 'LiberationSerif-Bold.ttf',
} as const;

export type FormFontStyle = keyof typeof FORM_FONT_FILES;

const cache = new Map<string, Uint8Array>();

/** `MOTCUA_FONTS_DIR` wins (packaged app); otherwise the repository's assets/fonts. */
export function formFontsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MOTCUA_FONTS_DIR?.trim() || assetPath('fonts');
}

export function formFontBytes(style: FormFontStyle, dir: string = formFontsDir()): Uint8Array {
  const path = join(dir, FORM_FONT_FILES[style]);
  let bytes = cache.get(path);
  if (!bytes) {
    bytes = new Uint8Array(readFileSync(path));
    cache.set(path, bytes);
  }
  return bytes;
}
