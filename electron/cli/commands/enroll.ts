import { format, vi } from '../../api/i18n';
import { applyEnrolmentToConfig } from '../../services/sync/engine-from-config';
import { SyncError } from '../../services/sync/sync-errors';
import { type Command, EXIT_FAILURE, EXIT_OK, UsageError } from '../command';
import { openSyncEngine } from './sync-common';

export const enrollCommand: Command = {
  name: 'enroll',
  summary: 'Đăng ký máy với hệ thống tỉnh bằng mã đăng ký dùng một lần',
  usage: 'motcua enroll --server URL --code CODE [--json]',
  options: { server: { type: 'string' }, code: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run({ values, env, stdout, stderr }) {
    const server = typeof values.server === 'string' ? values.server.trim() : '';
    const code = typeof values.code === 'string' ? values.code.trim() : '';
    if (!server) throw new UsageError(format(vi.cli.missingValue, { option: '--server' }));
    if (!code) throw new UsageError(format(vi.cli.missingValue, { option: '--code' }));
    const opened = openSyncEngine(env);
    try {
      const enrolled = await opened.engine.enrol(server, code);
      applyEnrolmentToConfig(opened.dataDir, server, enrolled.agencyCode);
      if (values.json) stdout(`${JSON.stringify({ ok: true, ...enrolled })}\n`);
      else stdout(`${format(vi.sync.enrolled, { agency: enrolled.agencyCode, slot: enrolled.deskSlot })}\n`);
      return EXIT_OK;
    } catch (error) {
      if (!(error instanceof SyncError)) throw error;
      if (values.json)
        stdout(`${JSON.stringify({ ok: false, code: error.code, message: error.clerkMessage })}\n`);
      stderr(`${error.clerkMessage}\n`);
      return EXIT_FAILURE;
    } finally {
      await opened.close();
    }
  },
};
