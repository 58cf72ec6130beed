import { format, vi } from '../../api/i18n';
import { resolveDataDir } from '../../services/config/data-dir';
import { startFresh } from '../../services/store/store';
import { type Command, EXIT_OK, UsageError } from '../command';

const t = vi.recover;

/**
 * `motcua recover --start-fresh --confirm`: the database is lost and no backup exists. The desk starts over with an
 * empty database, keeping its key and identity marker, so no dossier number is issued twice (docs/SECURITY.md).
 * No clerk can sign in to a desk without a database: the two flags are the IT officer's deliberate act.
 */
export const recoverCommand: Command = {
  name: 'recover',
  summary: t.summary,
  usage: 'motcua recover --start-fresh --confirm [--json]',
  options: {
    'start-fresh': { type: 'boolean', default: false },
    confirm: { type: 'boolean', default: false },
  },
  positionals: { min: 0, max: 0 },
  async run({ values, env, stdout }) {
    if (!values['start-fresh'] || !values.confirm) throw new UsageError(t.confirmRequired);
    const { deskId } = startFresh(resolveDataDir(env), { env });
    stdout(
      values.json
        ? `${JSON.stringify({ deskId, startedFresh: true })}\n`
        : `${format(t.done, { desk: deskId })}\n`,
    );
    return EXIT_OK;
  },
};
