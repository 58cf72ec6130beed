import { format, vi } from '../../api/i18n';
import { resolveDataDir } from '../../services/config/data-dir';
import { resolveDataKey } from '../../services/store/data-key';
import { rotateDataKey } from '../../services/store/key-rotation';
import { openStore } from '../../services/store/store';
import { type Command, EXIT_OK } from '../command';

const t = vi.security.key;

/**
 * `motcua key status [--seal] [--json]`: where the data key comes from (never the key itself), and how many blob
 * files are sealed; `--seal` seals the clear ones in place (crash-safe, per file). Rotation: docs/SECURITY.md.
 */
export const keyStatusCommand: Command = {
  name: 'key status',
  summary: t.summary,
  usage: 'motcua key status [--seal] [--json]',
  options: { seal: { type: 'boolean', default: false } },
  positionals: { min: 0, max: 0 },
  async run({ values, env, stdout }) {
    const dataDir = resolveDataDir(env);
    const key = resolveDataKey(dataDir, { env });
    const store = openStore(dataDir, { key: key.key });
    try {
      const sealedNow = values.seal ? store.blobs.sealClearBlobs().sealed : 0;
      const census = store.blobs.census();
      if (values.json) {
        stdout(
          `${JSON.stringify({ dataDir, source: key.source, keyFile: key.file ?? null, sealedNow, ...census }, null, 2)}\n`,
        );
        return EXIT_OK;
      }
      if (values.seal) stdout(`${format(t.sealed, { sealed: sealedNow })}\n`);
      stdout(
        `${format(t.status, {
          source: key.source,
          file: key.file ? ` (${key.file})` : '',
          sealed: census.sealed,
          clear: census.clear,
        })}\n`,
      );
      return EXIT_OK;
    } finally {
      store.close();
    }
  },
};

/**
 * `motcua key rotate [--json]` (IT, desk closed): new data key, database rekeyed, every blob re-sealed; safe to
 * kill, the next open or run finishes it. Key-file desks only; safeStorage desks rotate from the app.
 */
export const keyRotateCommand: Command = {
  name: 'key rotate',
  summary: t.rotateSummary,
  usage: 'motcua key rotate [--json]',
  options: {},
  positionals: { min: 0, max: 0 },
  async run({ values, env, stdout }) {
    const dataDir = resolveDataDir(env);
    const { resealedBlobs } = rotateDataKey(dataDir, { env });
    stdout(
      values.json
        ? `${JSON.stringify({ dataDir, rotated: true, resealedBlobs }, null, 2)}\n`
        : `${format(t.rotated, { blobs: resealedBlobs })}\n`,
    );
    return EXIT_OK;
  },
};
