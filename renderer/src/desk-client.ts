import { createDeskApi, type DeskTransport } from '../../electron/api/client';
import {
  type DeskApi,
  type DeskCallResult,
  type DeskEventName,
  HOST_TOKEN_HEADER,
  HTTP_CALL_PREFIX,
  WS_EVENTS_PATH,
} from '../../electron/api/desk-api';
import { t } from './i18n';

declare global {
  interface Window {
    /** Set by Electron's preload; absent in the browser build. */
    deskBridge?: DeskTransport;
  }
}

const connectionError = (): DeskCallResult<never> => ({
  ok: false,
  error: { code: 'internal', message: t.errors.connection },
});

/** The browser build's transport: the web host's HTTP calls and event WebSocket, with reconnection. */
function webHostTransport(): DeskTransport {
  const token = document.querySelector<HTMLMetaElement>('meta[name="desk-token"]')?.content ?? '';
  const listeners = new Set<(event: DeskEventName, payload: unknown) => void>();
  let retryMs = 500;
  const connect = () => {
    const url = new URL(WS_EVENTS_PATH, window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', token);
    const socket = new WebSocket(url);
    socket.onopen = () => {
      retryMs = 500;
    };
    socket.onmessage = (message) => {
      const { event, payload } = JSON.parse(String(message.data)) as {
        event: DeskEventName;
        payload: unknown;
      };
      for (const listener of listeners) listener(event, payload);
    };
    socket.onclose = () => {
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    };
  };
  connect();
  return {
    async invoke(name, input) {
      try {
        const response = await fetch(new URL(`${HTTP_CALL_PREFIX.slice(1)}${name}`, document.baseURI), {
          method: 'POST',
          headers: { 'content-type': 'application/json', [HOST_TOKEN_HEADER]: token },
          body: JSON.stringify(input),
        });
        if (!response.ok) return connectionError();
        return (await response.json()) as DeskCallResult<typeof name>;
      } catch {
        return connectionError();
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export const desk: DeskApi = createDeskApi(window.deskBridge ?? webHostTransport());
