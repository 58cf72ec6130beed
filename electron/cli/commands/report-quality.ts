import { format, vi } from '../../api/i18n';
import type { QualityFigure, QualityReport, QualityReportInput } from '../../api/quality-api';
import { dayOption, EXIT_OK } from '../command';
import { gatedCommand } from '../desk-session';

const t = vi.quality.cli;

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const percent = (ratio: number) => `${(ratio * 100).toFixed(2).replace('.', ',')} %`;
const decimal = (value: number) => value.toFixed(2).replace('.', ',');

function figureLine(figure: QualityFigure): string {
  const name = vi.quality.indicatorNames[figure.indicator];
  if (figure.indicator === '2.2')
    return figure.ratio === null
      ? `${figure.indicator} ${name}: ${t.noData}`
      : format(t.averageLine, {
          code: figure.indicator,
          name,
          ratio: decimal(figure.ratio),
          denominator: figure.denominator,
        });
  const points =
    figure.points === null
      ? t.notScored
      : format(t.pointsOf, { points: decimal(figure.points), max: figure.maxPoints });
  const line = format(t.line, {
    code: figure.indicator,
    name,
    numerator: figure.numerator,
    denominator: figure.denominator,
    ratio: figure.ratio === null ? t.noData : percent(figure.ratio),
    points,
  });
  const local = figure.local?.counted && figure.local.dissatisfiedRatings > 0;
  return local ? `${line}\n${format(t.localNote, { count: figure.local?.dissatisfiedRatings ?? 0 })}` : line;
}

function printReport(report: QualityReport, stdout: (text: string) => void) {
  stdout(
    `${format(t.header, {
      from: report.period.from,
      to: report.period.to,
      dossiers: report.dossierCount,
      set: report.formulaSet.id,
      title: report.formulaSet.title,
    })}\n`,
  );
  for (const figure of report.figures) stdout(`${figureLine(figure)}\n`);
  stdout(`${format(t.total, { points: decimal(report.points), max: report.maxPoints })}\n`);
}

/**
 * `motcua report quality`: the Decision 766 indicators the desk controls, estimated from its own data for a
 * period (by reception day), the whole desk or one clerk, under a named or the default formula set.
 */
export const reportQualityCommand = gatedCommand({
  name: 'report quality',
  summary: t.summary,
  usage:
    'motcua report quality [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--period YYYY|YYYY-Qn|YYYY-MM]\n' +
    '  [--for-clerk ID] [--formula BỘ] [--dossiers] [--json]',
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    period: { type: 'string' },
    // A clerk signed in with --clerk sees their own figures; an admin may pick one clerk's.
    'for-clerk': { type: 'string' },
    formula: { type: 'string' },
    dossiers: { type: 'boolean', default: false },
  },
  positionals: { min: 0, max: 0 },
  async run({ values, stdout }, desk) {
    const from = dayOption('--from', values.from);
    const to = dayOption('--to', values.to);
    const input: QualityReportInput = {
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(text(values.period) ? { period: text(values.period) } : {}),
      ...(text(values['for-clerk']) ? { clerkId: text(values['for-clerk']) } : {}),
      ...(text(values.formula) ? { formulaSet: text(values.formula) } : {}),
      withDossiers: values.dossiers === true,
    };
    const report: QualityReport = await desk.call('qualityReport', input);
    if (values.json) stdout(`${JSON.stringify(report)}\n`);
    else printReport(report, stdout);
    return EXIT_OK;
  },
});
