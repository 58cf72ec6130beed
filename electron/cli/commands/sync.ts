import { format, vi } from '../../api/i18n';
import { type Command, EXIT_FAILURE, EXIT_OK } from '../command';
import { openSyncEngine, queueLine } from './sync-common';

export const syncCommand: Command = {
  name: 'sync',
  summary: 'Gửi hồ sơ lên hệ thống tỉnh và nhận cập nhật (mặc định: gửi đến hết hàng đợi)',
  usage: 'motcua sync [--once] [--json]',
  options: { once: { type: 'boolean', default: false } },
  positionals: { min: 0, max: 0 },
  async run({ values, env, stdout, stderr }) {
    const opened = openSyncEngine(env);
    // Ctrl-C stops at the next step; everything done so far is kept (a kill -9 is fine too).
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.once('SIGINT', onSignal);
    try {
      const report = values.once
        ? await opened.engine.syncOnce(controller.signal)
        : await opened.engine.drain(controller.signal);
      const state = opened.engine.state();
      const stopped = opened.engine.stoppedBy();
      const ok = values.once ? report.failed === 0 && !stopped : state.pending === 0 && !stopped;
      if (values.json) stdout(`${JSON.stringify({ ok, report, state })}\n`);
      else {
        stdout(`${format(vi.sync.runSummary, { ...report })}\n${queueLine(state)}\n`);
        if (ok && !values.once && state.pending === 0) stdout(`${vi.sync.drained}\n`);
      }
      if (!ok) {
        const message = stopped?.clerkMessage ?? state.lastError?.clerkMessage ?? vi.sync.errors.network;
        stderr(`${message}\n`);
        return EXIT_FAILURE;
      }
      return EXIT_OK;
    } finally {
      process.off('SIGINT', onSignal);
      await opened.close();
    }
  },
};
