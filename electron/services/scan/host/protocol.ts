import type { ScanErrorCode } from '../errors';
import type { PageSink, ScannerCapabilities, ScannerDevice, ScanSettings } from '../types';

/**
 * The typed protocol between the desk and its scanner host process (see docs/SCANNING.md). Requests carry an
 * id and get exactly one reply with it; a scan run then streams events tagged with the run's number. Pages
 * are acknowledged one by one: the host sends page k+1 only once the desk has made page k durable.
 */

/** What the host needs from the desk's store for network scanners, sent with the requests that reach one. */
export interface HostContext {
  /** eSCL roots the desk knows (given and stored addresses). */
  esclAddresses: string[];
  /** Certificate pins by `host:port`, as stored by the desk. */
  pins: Record<string, string>;
}

export type HostRequest =
  | { id: number; op: 'list'; context: HostContext }
  | { id: number; op: 'open'; deviceId: string; context: HostContext }
  | { id: number; op: 'capabilities'; session: number }
  | { id: number; op: 'scan'; session: number; settings: ScanSettings; sink?: PageSink }
  | { id: number; op: 'close'; session: number };

/** Messages the desk sends that get no reply. */
export type HostNotice =
  | { op: 'ack'; run: number; index: number }
  | { op: 'cancel'; run: number }
  /** Finish and exit: cancels every run and closes every device. */
  | { op: 'shutdown' };

export type DeskToHost = HostRequest | HostNotice;

export interface HostErrorInfo {
  code: ScanErrorCode;
  message: string;
  deviceStatus?: string;
}

export interface HostResults {
  list: ScannerDevice[];
  open: { session: number; device: ScannerDevice };
  capabilities: ScannerCapabilities;
  scan: { run: number; effective: ScanSettings };
  close: null;
}

/** A page's content as it crosses: a file the host wrote (complete) in the desk's sink, or the bytes. */
export type WirePageContent =
  | { kind: 'file'; path: string; bytes: number; sha256: string; synced: boolean }
  | { kind: 'memory'; bytes: Uint8Array; sha256?: string };

export interface WirePage {
  width: number;
  height: number;
  channels: 1 | 3;
  depth: 1 | 8;
  dpi: number;
  format: 'pnm';
  content: WirePageContent;
  captureMs: number;
}

export type HostToDesk =
  | { id: number; ok: true; value: HostResults[keyof HostResults] }
  | { id: number; ok: false; error: HostErrorInfo }
  | { event: 'ready' }
  | { event: 'progress'; run: number; index: number; bytesRead: number; totalBytes: number | null }
  | { event: 'page'; run: number; index: number; page: WirePage }
  /** The run ended: normally (no error) or with the driver's error. No event of the run follows. */
  | { event: 'end'; run: number; error?: HostErrorInfo }
  /** A network scanner's certificate seen on first use: the desk stores the pin. */
  | { event: 'pin'; origin: string; sha256: string };

/**
 * The pipe to a host process, whichever way it was started (`child_process.fork` here, Electron's
 * `utilityProcess.fork` in the app): what the desk needs of it and nothing more.
 */
export interface HostChannel {
  readonly pid: number | undefined;
  send(message: DeskToHost): void;
  onMessage(listener: (message: HostToDesk) => void): void;
  /** Called once when the process is gone (exited, killed, or failed to start). */
  onExit(listener: (detail: { code: number | null; signal: string | null }) => void): void;
  /** SIGKILL: ends a host whose driver is stuck in native code. */
  kill(): void;
  /** Whether an idle host may let the desk's process end (the CLI); a busy one keeps it alive. */
  setBusy(busy: boolean): void;
}

/** Starts a host process running `host-main` with this environment. */
export type HostLauncher = (env: NodeJS.ProcessEnv) => HostChannel;
