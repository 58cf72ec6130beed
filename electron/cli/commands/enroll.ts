import { format, vi } from '../../api/i18n';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../command';
import { CallRefused, gatedCommand } from '../desk-session';

/** `motcua enroll` (IT account or admin): the desk's enrolDesk call, as the app's enrolment screen makes it. */
export const enrollCommand = gatedCommand({
  name: 'enroll',
  summary: 'Đăng ký máy với hệ thống tỉnh bằng mã đăng ký dùng một lần',
  usage: 'motcua enroll --server URL --code CODE [--json]',
  options: { server: { type: 'string' }, code: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run({ values, stdout, stderr }, desk) {
    const server = typeof values.server === 'string' ? values.server.trim() : '';
    const code = typeof values.code === 'string' ? values.code.trim() : '';
    if (!server) throw new UsageError(format(vi.cli.missingValue, { option: '--server' }));
    if (!code) throw new UsageError(format(vi.cli.missingValue, { option: '--code' }));
    try {
      const enrolled = await desk.call('enrolDesk', { serverUrl: server, code });
      if (values.json) stdout(`${JSON.stringify({ ok: true, ...enrolled })}\n`);
      else stdout(`${format(vi.sync.enrolled, { agency: enrolled.agencyCode, slot: enrolled.deskSlot })}\n`);
      return EXIT_OK;
    } catch (error) {
      if (!(error instanceof CallRefused) || !desk.account) throw error;
      if (values.json)
        stdout(`${JSON.stringify({ ok: false, code: error.error.code, message: error.message })}\n`);
      stderr(`${error.message}\n`);
      return EXIT_FAILURE;
    }
  },
});
