import { existsSync } from 'node:fs';

/** Where libsane lives on the platforms the desk runs on (Debian/Ubuntu multiarch, other Linux, macOS). */
const CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/libsane.so.1',
  '/usr/lib/aarch64-linux-gnu/libsane.so.1',
  '/usr/lib64/libsane.so.1',
  '/usr/lib/libsane.so.1',
  '/usr/local/lib/libsane.so.1',
  '/opt/homebrew/lib/libsane.1.dylib',
  '/usr/local/lib/libsane.1.dylib',
];

/** Path of the SANE library, `MOTCUA_LIBSANE` first; null when SANE is not installed. */
export function locateLibsane(env: NodeJS.ProcessEnv = process.env): string | null {
  const explicit = env.MOTCUA_LIBSANE?.trim();
  if (explicit) return existsSync(explicit) ? explicit : null;
  return CANDIDATES.find((path) => existsSync(path)) ?? null;
}
