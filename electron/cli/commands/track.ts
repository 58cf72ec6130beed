import { format, vi } from '../../api/i18n';
import type { DossierTrackingView } from '../../api/quality-api';
import { formatVietnamDateTime } from '../../services/calendar/civil-date';
import { EXIT_OK } from '../command';
import { gatedCommand } from '../desk-session';

const t = vi.quality.track;
const statusLabel = (status: number) =>
  (vi.sync.provinceStatus as Record<string, string>)[String(status)] ?? String(status);
const when = (iso: string | null) => (iso ? formatVietnamDateTime(new Date(iso)) : t.noDue);

/** `motcua track CODE`: the dossier's status and timeline, from the desk's data, with the name masked. */
export const trackCommand = gatedCommand({
  name: 'track',
  summary: t.summary,
  usage: 'motcua track MÃ_HỒ_SƠ [--json]',
  options: {},
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, stdout }, desk) {
    const view: DossierTrackingView = await desk.call('trackDossier', { code: positionals[0] ?? '' });
    if (values.json) {
      stdout(`${JSON.stringify(view)}\n`);
      return EXIT_OK;
    }
    stdout(
      `${format(t.header, { code: view.code, procedure: view.procedureName, applicant: view.applicantMasked })}\n`,
    );
    stdout(`${format(t.dates, { received: when(view.receivedAt || null), due: when(view.dueAt) })}\n`);
    stdout(`${format(t.status, { status: statusLabel(view.status) })}\n`);
    for (const step of view.steps)
      stdout(
        `${format(t.step, { at: when(step.at), status: statusLabel(step.status), content: step.content, by: step.by })}\n`,
      );
    return EXIT_OK;
  },
});
