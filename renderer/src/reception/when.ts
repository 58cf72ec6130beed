import { t } from '../i18n';

// Vietnam's clock whatever the PC's zone: the appointment is a promise made in Vietnamese local time.
const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function fields(iso: string) {
  const found = Object.fromEntries(parts.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return {
    year: found.year ?? '',
    month: found.month ?? '',
    day: found.day ?? '',
    hour: found.hour ?? '',
    minute: found.minute ?? '',
  };
}

/** "Thứ Năm, 26/11/2026 16:30": the weekday first, as a clerk reads the date out to the citizen. */
export function appointmentText(iso: string): string {
  const f = fields(iso);
  const weekday = new Date(Date.UTC(Number(f.year), Number(f.month) - 1, Number(f.day))).getUTCDay();
  return `${t.receptionUi.weekdays[weekday]}, ${f.day}/${f.month}/${f.year} ${f.hour}:${f.minute}`;
}

/** "16:30 26/11/2026" for reception times. */
export function timeText(iso: string): string {
  const f = fields(iso);
  return `${f.hour}:${f.minute} ${f.day}/${f.month}/${f.year}`;
}

/** dd/mm/yyyy, as Vietnamese papers write dates, of a YYYY-MM-DD date (no time zone involved). */
export function dateText(ymd: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : ymd;
}
