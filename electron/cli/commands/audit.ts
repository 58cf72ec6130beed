import { format, vi } from '../../api/i18n';
import { resolveDataDir } from '../../services/config/data-dir';
import { EXIT_FAILURE, EXIT_OK } from '../command';
import { gatedCommand } from '../desk-session';

const messages = vi.reception.audit;

/** `motcua audit verify`: walks the hash chain of the audit log (IT account); exit 1 names the first broken entry. */
export const auditVerifyCommand = gatedCommand({
  name: 'audit verify',
  summary: messages.cli.summary,
  usage: 'motcua audit verify [--json]',
  options: {},
  positionals: { min: 0, max: 0 },
  async run({ values, env, stdout, stderr }, desk) {
    const result = await desk.call('verifyAuditLog');
    if (values.json) {
      stdout(`${JSON.stringify({ dataDir: resolveDataDir(env), ...result }, null, 2)}\n`);
      return result.ok ? EXIT_OK : EXIT_FAILURE;
    }
    if (result.ok) {
      stdout(
        `${
          result.entries === 0
            ? messages.cli.empty
            : format(messages.cli.ok, { count: result.entries, hash: result.headHash.slice(0, 16) })
        }\n`,
      );
      return EXIT_OK;
    }
    const { seq, id, reason, expectedSeq } = result.firstBad;
    stderr(
      `${format(messages.cli.broken, {
        seq,
        id,
        reason: format(messages.reasons[reason], { expected: expectedSeq }),
      })}\n`,
    );
    return EXIT_FAILURE;
  },
});
