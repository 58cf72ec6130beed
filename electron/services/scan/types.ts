import type { ColorMode } from '../imaging/raw-page';

/**
 * The driver interface every scanner technology implements (SANE today; eSCL over HTTP or TWAIN/WIA later).
 * Callers — the scan service, the CLI, the desk — only see these types.
 */

export type ScanSource = 'flatbed' | 'adf' | 'duplex';
export const SCAN_SOURCES: readonly ScanSource[] = ['flatbed', 'adf', 'duplex'];

export const COLOR_MODES: readonly ColorMode[] = ['color', 'gray', 'bw'];

export type PageSizeName = 'A4' | 'A5' | 'Letter';

export interface ScannerDevice {
  /** Driver-specific address (`test:0`, `genesys:libusb:001:007`); it may change when a device is replugged. */
  id: string;
  /** Which driver found it: 'sane', later 'escl', 'twain'… */
  driver: string;
  vendor: string;
  model: string;
  /** What the driver says it is: 'flatbed scanner', 'sheetfed scanner', 'virtual device'. */
  type: string;
}

export interface ScannerCapabilities {
  sources: ScanSource[];
  modes: ColorMode[];
  /** Resolutions a clerk may pick (the device's list, or common values inside its range). */
  resolutions: number[];
  pageSizes: PageSizeName[];
  /** Largest scan area, millimetres. */
  maxWidthMm: number;
  maxHeightMm: number;
}

export interface ScanSettings {
  source: ScanSource;
  /** Dots per inch; the driver picks the nearest the device supports and reports what it used. */
  resolution: number;
  mode: ColorMode;
  pageSize: PageSizeName;
  /** Driver-specific extra options by name (e.g. SANE `brightness`); applied after the standard ones. */
  deviceOptions?: Record<string, string | number | boolean>;
}

/**
 * Where a page's file-ready bytes are: in memory, or already in a file the driver wrote into the caller's
 * `PageSink` (complete, and fsync'd when `synced`) under a temp name the caller renames into place.
 */
export type PageContent =
  | {
      kind: 'memory';
      /** A consumer that lends the buffer to another thread puts the view it gets back here, for `release`. */
      bytes: Uint8Array;
      /** SHA-256 (hex) when computed off the caller's thread. */
      sha256?: string;
    }
  | { kind: 'file'; path: string; bytes: number; sha256: string; synced: boolean };

/**
 * Lets a driver write pages straight to disk while the device sends them (SANE does): a directory on the
 * same filesystem as the blob store. A driver may ignore it and deliver pages in memory.
 */
export interface PageSink {
  dir: string;
  /** The temp files' owner, written into their names (see temp-files.ts); a driver passes it on as-is. */
  tag?: string;
}

/** One page as it came off the device, stored losslessly as-is. */
export interface CapturedPage {
  width: number;
  height: number;
  channels: 1 | 3;
  /** Bits per sample of the stored image: 1 for black-and-white, else 8. */
  depth: 1 | 8;
  dpi: number;
  /** Lossless container of the content. */
  format: 'pnm';
  content: PageContent;
  /** Time the device took for this page (feed + transfer), ms. */
  captureMs: number;
  /**
   * Gives the page back to the driver: memory is recycled, a temp file still at `content.path` (not adopted
   * by the caller) is deleted — done when the promise settles; it never rejects. The content must not be used
   * afterwards.
   */
  release(): Promise<void>;
}

export interface PageProgress {
  /** 0-based index of the page within this scan run. */
  index: number;
  bytesRead: number;
  totalBytes: number | null;
}

export interface ScanOptions {
  signal?: AbortSignal;
  onProgress?: (progress: PageProgress) => void;
  /** Where the driver may write pages directly (see `PageSink`). */
  sink?: PageSink;
}

export interface ScanRun {
  /** The settings the device actually uses (resolution rounded to what it supports). */
  readonly effective: ScanSettings;
  /** Pages in order; ends normally when the feeder is empty (or after one flatbed page). */
  pages: AsyncIterable<CapturedPage>;
}

export interface ScannerSession {
  readonly device: ScannerDevice;
  capabilities(): Promise<ScannerCapabilities>;
  /**
   * Applies the settings and scans. Errors are `ScanError`s; aborting the signal stops at once (the page in
   * flight is dropped, pages already handed out stay valid) and leaves the device ready for the next scan.
   */
  scan(settings: ScanSettings, options?: ScanOptions): Promise<ScanRun>;
  close(): Promise<void>;
}

export interface ScannerDriver {
  readonly name: string;
  listDevices(): Promise<ScannerDevice[]>;
  open(deviceId: string): Promise<ScannerSession>;
  /** Releases the driver's resources (for SANE: nothing; the process-wide worker stays for others). */
  dispose(): Promise<void>;
}
