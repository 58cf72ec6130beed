import type { DeskEventName, DeskEvents } from '../../api/desk-api';

type Listener = (event: DeskEventName, payload: DeskEvents[DeskEventName]) => void;

/** Fan-out of desk events to every connected front door (Electron windows, web host sockets). */
export class EventHub {
  private readonly listeners = new Set<Listener>();

  emit<E extends DeskEventName>(event: E, payload: DeskEvents[E]): void {
    for (const listener of this.listeners) listener(event, payload);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
