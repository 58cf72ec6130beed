/**
 * `ScannerStatus` → what stops a scan, as the clerk's error code. States and ADF states follow
 * shared/design/SCANNERS.md §1.3-1.4 (sane-airscan's and NAPS2's readings of the same documents).
 */
import type { ScanErrorCode } from '../errors';
import { find, findAll, parseXml, textOf } from './xml';

export interface EsclStatus {
  /** pwg:State: Idle, Processing, Testing, Stopped (Down on some devices). */
  state: string;
  /** scan:AdfState, or '' when the device has no feeder or does not say. */
  adfState: string;
  /** Job states by job path (the pwg:JobUri as the device wrote it). */
  jobs: { uri: string; state: string; reasons: string[] }[];
}

export function parseStatus(xml: string): EsclStatus {
  const root = parseXml(xml);
  if (root.name !== 'ScannerStatus') throw new Error(`unexpected status root <${root.name}>`);
  return {
    state: textOf(root, 'State') ?? '',
    adfState: textOf(root, 'AdfState') ?? '',
    jobs: findAll(find(root, 'Jobs'), 'JobInfo').map((job) => ({
      uri: textOf(job, 'JobUri') ?? '',
      state: textOf(job, 'JobState') ?? '',
      reasons: findAll(job, 'JobStateReason').map((r) => r.text),
    })),
  };
}

const ADF_PROBLEMS: [RegExp, ScanErrorCode][] = [
  [/Jam/i, 'jammed'],
  [/HatchOpen|DoorOpen|CoverOpen/i, 'cover-open'],
  [/Mispick|Multipick/i, 'escl-double-feed'],
  [/PageTooShort|PageTooLong/i, 'escl-paper-size'],
  [/InputTrayFailed|InputTrayOverloaded/i, 'escl-tray-problem'],
  [/Empty/i, 'feeder-empty'],
];

/** The problem the ADF state names, or null when the feeder is fine (Loaded, Processing) or absent. */
export function adfProblem(status: EsclStatus): ScanErrorCode | null {
  for (const [pattern, code] of ADF_PROBLEMS) if (pattern.test(status.adfState)) return code;
  return null;
}

/**
 * Why a request failed, read from the status the device gave right after: a feeder problem first, then a
 * stopped device, then one busy with another job; null when the status explains nothing.
 */
export function statusProblem(status: EsclStatus, options: { feeder: boolean }): ScanErrorCode | null {
  const adf = options.feeder ? adfProblem(status) : null;
  if (adf) return adf;
  if (/Stopped|Down/i.test(status.state)) return 'device-failed';
  if (/Processing|Testing/i.test(status.state)) return 'busy';
  return null;
}
