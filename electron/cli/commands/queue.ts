import { type Command, EXIT_OK } from '../command';
import { openSyncEngine, queueLine } from './sync-common';

export const queueCommand: Command = {
  name: 'queue',
  summary: 'Xem hàng đợi gửi hồ sơ lên tỉnh: số hồ sơ chờ gửi, dung lượng, hồ sơ cần xử lý',
  usage: 'motcua queue [--json]',
  options: {},
  positionals: { min: 0, max: 0 },
  async run({ values, env, stdout }) {
    const opened = openSyncEngine(env);
    try {
      const state = opened.engine.state();
      const parkedItems = (
        opened.store.db
          .prepare(
            `SELECT o.id, o.dossier_id, d.code, o.parked_code, o.last_error FROM outbox o
             LEFT JOIN dossiers d ON d.id = o.dossier_id WHERE o.status = 'parked' ORDER BY o.id`,
          )
          .all() as {
          id: number;
          dossier_id: string;
          code: string | null;
          parked_code: string;
          last_error: string;
        }[]
      ).map((r) => ({
        outboxId: r.id,
        dossierId: r.dossier_id,
        code: r.code,
        reason: r.parked_code,
        message: r.last_error,
      }));
      if (values.json) {
        stdout(`${JSON.stringify({ ...state, parkedItems })}\n`);
      } else {
        stdout(`${queueLine(state)}\n`);
        if (state.lastError) stdout(`${state.lastError.clerkMessage}\n`);
        for (const item of parkedItems) stdout(`  - ${item.message}\n`);
      }
      return EXIT_OK;
    } finally {
      await opened.close();
    }
  },
};
