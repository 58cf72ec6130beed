import type { QualityReport } from '../../../electron/api/quality-api';
import { t } from '../i18n';

const cell = (value: string | number | null) => {
  const text = value === null ? '' : String(value);
  // Quote every cell; a leading = + - @ is neutralised so a spreadsheet does not run it as a formula.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
};

/** The report's figures as CSV (UTF-8 with BOM, so Excel shows the diacritics), one row per indicator. */
export function figuresCsv(report: QualityReport): string {
  const header = [
    'chi_so',
    'ten',
    'tu_so',
    'mau_so',
    'ty_le',
    'diem',
    'diem_toi_da',
    'du_diem_tu',
    'bo_cong_thuc',
    'tu_ngay',
    'den_ngay',
  ];
  const rows = report.figures.map((f) => [
    f.indicator,
    t.quality.indicatorNames[f.indicator],
    f.numerator,
    f.denominator,
    f.ratio === null ? null : Number(f.ratio.toFixed(4)),
    f.points,
    f.maxPoints,
    f.fullAt,
    f.formulaSet,
    report.period.from,
    report.period.to,
  ]);
  return `\uFEFF${[header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
