import { format, vi } from '../../api/i18n';
import { EXIT_FAILURE, EXIT_OK } from '../command';
import { gatedCommand } from '../desk-session';
import { queueLine } from './sync-common';

export const syncCommand = gatedCommand({
  name: 'sync',
  summary: 'Gửi hồ sơ lên hệ thống tỉnh và nhận cập nhật (mặc định: gửi đến hết hàng đợi)',
  usage: 'motcua sync [--once] [--json]',
  options: { once: { type: 'boolean', default: false } },
  positionals: { min: 0, max: 0 },
  async run({ values, stdout, stderr }, desk) {
    const once = Boolean(values.once);
    // Ctrl-C stops at the next step; everything done so far is kept (a kill -9 is fine too).
    const onSignal = () => void desk.call('stopSync');
    process.once('SIGINT', onSignal);
    try {
      const { ok, report, state, message } = await desk.call('runSync', { once });
      if (values.json) stdout(`${JSON.stringify({ ok, report, state })}\n`);
      else {
        stdout(`${format(vi.sync.runSummary, { ...report })}\n${queueLine(state)}\n`);
        if (ok && !once && state.pending === 0) stdout(`${vi.sync.drained}\n`);
      }
      if (!ok) {
        stderr(`${message ?? vi.sync.errors.network}\n`);
        return EXIT_FAILURE;
      }
      return EXIT_OK;
    } finally {
      process.off('SIGINT', onSignal);
    }
  },
});
