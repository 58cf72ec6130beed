/**
 * The last requests the server saw, with the faults that fired: how tests (and a person watching a demo)
 * observe fault injection and duplicate application. Paths only, never query strings or bodies.
 */
export interface RequestLogEntry {
  id: number;
  method: string;
  path: string;
  status: number | null;
  /** Faults that actually took effect, e.g. "drop-request@900000", "error@503", "duplicate-apply". */
  faults: string[];
  requestBytes: number;
  /** tus Upload-Offset of a PATCH: where a resumed upload restarted. */
  uploadOffset: number | null;
  /** How many times the request's work ran (2 under duplicate:mode=apply). */
  applied: number;
  deviceId: string | null;
  ms: number | null;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private nextId = 1;

  constructor(private readonly capacity = 1000) {}

  start(method: string, path: string, uploadOffset: number | null): RequestLogEntry {
    const entry: RequestLogEntry = {
      id: this.nextId++,
      method,
      path: path.slice(0, 200),
      status: null,
      faults: [],
      requestBytes: 0,
      uploadOffset,
      applied: 0,
      deviceId: null,
      ms: null,
    };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.shift();
    return entry;
  }

  /** Entries with id greater than `afterId`, oldest first. */
  list(afterId = 0): RequestLogEntry[] {
    return this.entries.filter((e) => e.id > afterId).map((e) => ({ ...e, faults: [...e.faults] }));
  }

  get lastId(): number {
    return this.nextId - 1;
  }
}
