import { type BrowserWindow, screen } from 'electron';
import type { DeskCallName, DeskEventName } from '../api/desk-api';

/** The only calls and event the citizen's rating window may use (it can rate only the open prompt). */
export const RATING_WINDOW_CALLS: ReadonlySet<DeskCallName> = new Set<DeskCallName>([
  'getRatingPrompt',
  'recordRating',
]);
export const RATING_WINDOW_EVENTS: ReadonlySet<DeskEventName> = new Set<DeskEventName>(['ratingPrompt']);
export const RATING_WINDOW_PATH = '/index.html#/danh-gia';

/**
 * The citizen's rating screen, full screen on the second display when one is connected (Electron's `screen`);
 * with one display there is no window and the web build's /danh-gia page serves instead.
 */
export function openRatingWindow(
  create: (path: string, bounds: Electron.Rectangle) => BrowserWindow,
): BrowserWindow | null {
  const primary = screen.getPrimaryDisplay();
  const second = screen.getAllDisplays().find((display) => display.id !== primary.id);
  if (!second) return null;
  const window = create(RATING_WINDOW_PATH, second.bounds);
  window.setFullScreen(true);
  return window;
}
