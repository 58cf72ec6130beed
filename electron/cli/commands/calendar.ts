import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { format, vi } from '../../api/i18n';
import {
  CalendarInputError,
  computeDueDate,
  DURATION_UNITS,
  type DurationUnit,
  dayNumberFromLunar,
  formatIsoDate,
  formatVietnamDateTime,
  formatVietnamIso,
  isoWeekday,
  lunarFromDayNumber,
  openWorkingCalendar,
  parseIsoDate,
  type WorkingCalendar,
} from '../../services/calendar';
import { resolveDataDir } from '../../services/config/data-dir';
import { DATABASE_FILE_NAME } from '../../services/store/store';
import { type Command, type CommandContext, EXIT_FAILURE, EXIT_OK, UsageError } from '../command';
import { CallRefused, type CliDesk, withDesk } from '../desk-session';

/**
 * The desk's calendar: shipped data plus the official tables synced into the local database. With a database
 * the desk answers (its `describeCalendarDay` / `computeDueDate` calls, no sign-in: public data); without one
 * the shipped calendar does, because reading a calendar must not create a data folder on a machine that has none.
 */
async function deskAnswer<T>(
  env: NodeJS.ProcessEnv,
  ask: (desk: CliDesk) => Promise<T>,
  offline: (calendar: WorkingCalendar) => T,
): Promise<T> {
  if (!existsSync(join(resolveDataDir(env), DATABASE_FILE_NAME))) return offline(openWorkingCalendar());
  return withDesk(env, ask);
}

/** Runs a command body; bad values (a date that does not exist, a negative amount) exit 1 with the clerk's message. */
async function guarded(context: CommandContext, body: () => void | Promise<void>): Promise<number> {
  try {
    await body();
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CalendarInputError || error instanceof CallRefused) {
      context.stderr(`${error.message}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
}

const weekdayName = (jdn: number) => vi.calendar.weekdays[isoWeekday(jdn)] ?? '';
const lunarText = (l: { year: number; month: number; day: number; leap: boolean }) =>
  format(vi.calendar.cli.lunarDate, { ...l, leap: l.leap ? vi.calendar.cli.leapMonth : '' });

const dueCommand: Command = {
  name: 'calendar due',
  summary: 'Tính ngày hẹn trả kết quả theo thời hạn giải quyết (ngày làm việc, ngày, giờ làm việc)',
  usage:
    'motcua calendar due --received 2026-08-21T16:45 --amount N --unit working-days|days|hours [--json]\n' +
    '  (thời điểm không ghi múi giờ được hiểu là giờ Việt Nam)',
  options: {
    received: { type: 'string' },
    amount: { type: 'string' },
    unit: { type: 'string' },
  },
  positionals: { min: 0, max: 0 },
  run(context) {
    const { received, amount, unit } = context.values as Record<string, string | undefined>;
    if (received === undefined || amount === undefined || unit === undefined) {
      throw new UsageError(dueCommand.usage);
    }
    return guarded(context, async () => {
      const number = amount.trim() === '' ? Number.NaN : Number(amount);
      const answer = await deskAnswer(
        context.env,
        (desk) => desk.call('computeDueDate', { received, amount: number, unit }),
        (calendar) => {
          if (!(DURATION_UNITS as readonly string[]).includes(unit))
            throw new CalendarInputError(
              format(vi.calendar.invalidUnit, { value: unit }),
              `unknown unit ${unit}`,
            );
          const result = computeDueDate(calendar, { received, amount: number, unit: unit as DurationUnit });
          return {
            received: formatVietnamIso(result.received),
            amount: result.amount,
            unit: result.unit,
            countFrom: formatVietnamIso(result.countFrom),
            due: formatVietnamIso(result.due),
          };
        },
      );
      const result = { ...answer, unit: answer.unit as DurationUnit };
      const json = { ...result, dueLocal: formatVietnamDateTime(new Date(result.due)) };
      if (context.values.json) context.stdout(`${JSON.stringify(json, null, 2)}\n`);
      else {
        const t = vi.calendar.cli;
        context.stdout(
          `${t.received}: ${formatVietnamDateTime(new Date(result.received))} (${json.received})\n` +
            `${t.amount}: ${result.amount} ${vi.calendar.units[result.unit]}\n` +
            `${t.due}: ${json.dueLocal} (${json.due})\n`,
        );
      }
    });
  },
};

const lunarToSolarCommand: Command = {
  name: 'calendar lunar-to-solar',
  summary: 'Đổi ngày âm lịch (Việt Nam, UTC+7) sang dương lịch',
  usage: 'motcua calendar lunar-to-solar NĂM THÁNG NGÀY [--leap] [--json]   (--leap: tháng nhuận)',
  options: { leap: { type: 'boolean', default: false } },
  positionals: { min: 3, max: 3 },
  run(context) {
    const [year, month, day] = context.positionals.map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN)) as [
      number,
      number,
      number,
    ];
    const lunar = { year, month, day, leap: Boolean(context.values.leap) };
    return guarded(context, () => {
      if ([year, month, day].some(Number.isNaN)) {
        throw new CalendarInputError(
          format(vi.calendar.invalidLunarDate, { value: context.positionals.join(' ') }),
          'lunar date parts are not whole numbers',
        );
      }
      const jdn = dayNumberFromLunar(lunar);
      const solar = formatIsoDate(jdn);
      if (context.values.json) {
        context.stdout(`${JSON.stringify({ lunar, solar, weekday: isoWeekday(jdn) }, null, 2)}\n`);
      } else {
        context.stdout(
          `${vi.calendar.cli.lunar}: ${lunarText(lunar)} → ${vi.calendar.cli.solar}: ${solar} (${weekdayName(jdn)})\n`,
        );
      }
    });
  },
};

const solarToLunarCommand: Command = {
  name: 'calendar solar-to-lunar',
  summary: 'Đổi ngày dương lịch sang âm lịch Việt Nam (UTC+7)',
  usage: 'motcua calendar solar-to-lunar YYYY-MM-DD [--json]',
  options: {},
  positionals: { min: 1, max: 1 },
  run(context) {
    return guarded(context, () => {
      const jdn = parseIsoDate(context.positionals[0] as string);
      const lunar = lunarFromDayNumber(jdn);
      const solar = formatIsoDate(jdn);
      if (context.values.json) {
        context.stdout(`${JSON.stringify({ solar, weekday: isoWeekday(jdn), lunar }, null, 2)}\n`);
      } else {
        context.stdout(
          `${vi.calendar.cli.solar}: ${solar} (${weekdayName(jdn)}) → ${vi.calendar.cli.lunar}: ${lunarText(lunar)}\n`,
        );
      }
    });
  },
};

const dayCommand: Command = {
  name: 'calendar day',
  summary: 'Cho biết một ngày là ngày làm việc hay ngày nghỉ (và lý do)',
  usage: 'motcua calendar day YYYY-MM-DD [--json]',
  options: {},
  positionals: { min: 1, max: 1 },
  run(context) {
    return guarded(context, async () => {
      const date = context.positionals[0] as string;
      const status = await deskAnswer(
        context.env,
        (desk) => desk.call('describeCalendarDay', { date }),
        (calendar) => calendar.describeDay(date),
      );
      if (context.values.json) context.stdout(`${JSON.stringify(status, null, 2)}\n`);
      else {
        const what = status.working
          ? `${vi.calendar.cli.workingDay}${status.workingReason ? ` — ${status.workingReason}` : ''}`
          : format(vi.calendar.cli.dayOff, { reason: status.reason?.name ?? '' });
        context.stdout(`${status.date} (${vi.calendar.weekdays[status.weekday]}): ${what}\n`);
      }
    });
  },
};

/** Every `motcua calendar …` command; registered as one spread in commands/index.ts. */
export const calendarCommands: readonly Command[] = [
  dueCommand,
  lunarToSolarCommand,
  solarToLunarCommand,
  dayCommand,
];
