import {
  DESK_CALL_NAMES,
  type DeskApi,
  type DeskCallName,
  type DeskCallResult,
  type DeskErrorPayload,
  type DeskEventName,
  type DeskEvents,
} from './desk-api';

/** What a transport provides: one request/response call and a stream of events. */
export interface DeskTransport {
  invoke(name: DeskCallName, input: unknown): Promise<DeskCallResult<DeskCallName>>;
  subscribe(listener: (event: DeskEventName, payload: unknown) => void): () => void;
}

/** A failed call as the renderer sees it: `message` is Vietnamese and ready to show. */
export class DeskCallError extends Error {
  readonly code: DeskErrorPayload['code'] | 'connection';
  constructor(payload: DeskErrorPayload | { code: 'connection'; message: string }) {
    super(payload.message);
    this.name = 'DeskCallError';
    this.code = payload.code;
  }
}

/** Builds the typed desk API over any transport (Electron IPC or the web host), so the UI cannot tell which. */
export function createDeskApi(transport: DeskTransport): DeskApi {
  const api: Record<string, unknown> = {};
  for (const name of DESK_CALL_NAMES) {
    api[name] = async (input: unknown) => {
      const result = await transport.invoke(name, input ?? null);
      if (!result.ok) throw new DeskCallError(result.error);
      return result.value;
    };
  }
  api.on = <E extends DeskEventName>(event: E, listener: (payload: DeskEvents[E]) => void) =>
    transport.subscribe((name, payload) => {
      if (name === event) listener(payload as DeskEvents[E]);
    });
  return api as DeskApi;
}
