import { contextBridge, ipcRenderer } from 'electron';
import type { DeskTransport } from '../api/client';
import { DESK_CALL_NAMES, type DeskEventName, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../api/desk-api';

/**
 * Exposes exactly the desk transport to the sandboxed renderer: a call by name and an event stream.
 * No ipcRenderer, no Node: the renderer cannot reach anything the desk API does not name.
 */
const bridge: DeskTransport = {
  invoke: (name, input) => {
    if (!(DESK_CALL_NAMES as readonly string[]).includes(name)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown-call', message: 'unknown call' } });
    }
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, name, input);
  },
  subscribe: (listener) => {
    const handler = (_event: unknown, name: DeskEventName, payload: unknown) => listener(name, payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('deskBridge', bridge);
