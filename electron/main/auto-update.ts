import { app } from 'electron';
import electronUpdater from 'electron-updater';
import type { Desk } from '../services/desk/desk';
import type { Logger } from '../services/logging/logger';
import { rolloutDeskId } from '../services/update/desk-identity';
import { checkForUpdate } from '../services/update/update-check';
import { channelFileName } from '../services/update/update-feed';
import { configureUpdater } from '../services/update/updater-hooks';
import { APP_VERSION } from '../services/version';

const CHECK_EVERY_MS = 6 * 60 * 60 * 1000;
const GUARD_EVERY_MS = 60 * 1000;

/**
 * The Electron-only end of verified updates (everything else is electron/services/update, tested in plain Node):
 * our own check picks the feed that answers and refuses unsigned, tampered, staged-out or older releases; then
 * electron-updater downloads with the same hooks, and `quitAndInstall` runs only when the desk's install guard
 * allows (on quit, or in IT's install minute, never during a scan, a reception or an upload).
 */
export function startAutoUpdate(desk: Desk, dataDir: string, logger: Logger): void {
  const { update } = desk.config;
  if (!app.isPackaged || update.feedUrls.length === 0) return;
  const updater = electronUpdater.autoUpdater;
  let downloaded = false;
  const check = async () => {
    try {
      const offer = await checkForUpdate({
        feeds: update.feedUrls,
        channelFile: channelFileName(update.channel),
        currentVersion: APP_VERSION,
        deskId: rolloutDeskId(dataDir, desk.store),
        allowRollback: update.allowRollback,
      });
      logger.info('update.check', { state: offer.state, version: offer.feedVersion });
      if (offer.state !== 'available' || downloaded) return;
      configureUpdater(updater, {
        feedUrl: offer.feed,
        channel: update.channel,
        deskId: rolloutDeskId(dataDir, desk.store),
        allowRollback: update.allowRollback,
      });
      await updater.checkForUpdates();
      await updater.downloadUpdate();
      downloaded = true;
    } catch (error) {
      // Without admin rights on a per-machine install the installer cannot run: IT's task installs it (docs/UPDATES.md).
      logger.warn('update.failed', { error: (error as Error).name, code: (error as { code?: string }).code });
    }
  };
  void check();
  setInterval(() => void check(), CHECK_EVERY_MS).unref();
  setInterval(() => {
    if (downloaded && desk.updateInstallDecision({ onQuit: false }).allowed)
      updater.quitAndInstall(true, true);
  }, GUARD_EVERY_MS).unref();
  app.on('before-quit', () => {
    if (downloaded && desk.updateInstallDecision({ onQuit: true }).allowed)
      updater.quitAndInstall(true, false);
  });
}
