import { basename } from 'node:path';
import type { AppUpdater } from 'electron-updater';
import { UpdateError } from './errors';
import { isWithinRollout } from './staging';
import { verifyArtifact } from './update-check';
import { readFeedSignature } from './update-feed';

export interface UpdaterPolicy {
  /** HTTP(S) feeds in order; electron-updater reads one, so the first that answered our own check is passed. */
  feedUrl: string;
  channel: string;
  deskId: string;
  allowRollback: boolean;
  publicKeyPem?: string;
  fetchImpl?: typeof fetch;
}

/**
 * Sets electron-updater up the way the desk decides: generic provider on our feed, staged rollout by the desk's
 * own id, downgrades only when policy allows, nothing downloaded or installed by itself (the desk asks its
 * install guard first), and our Ed25519 signature checked on the downloaded file. Plain Node: the tests run it on
 * a NsisUpdater with a test adapter; only `quitAndInstall` in electron/main needs Electron.
 */
export function configureUpdater(updater: AppUpdater, policy: UpdaterPolicy): void {
  updater.setFeedURL({
    provider: 'generic',
    url: policy.feedUrl,
    channel: policy.channel === 'stable' ? null : policy.channel,
  });
  updater.autoDownload = false;
  updater.autoInstallOnAppQuit = false;
  // Setting a channel silently turns allowDowngrade on (electron-updater): set it after, from policy only.
  updater.allowDowngrade = policy.allowRollback;
  updater.isUserWithinRollout = (info) => isWithinRollout(policy.deskId, info.stagingPercentage);
  // The file is checked under a temporary name (`temp-<name>`): the release's own name comes from the offer.
  let offeredFile: string | null = null;
  updater.on('update-available', (info: { files?: { url: string }[] }) => {
    offeredFile = info.files?.[0]?.url ?? null;
  });
  const verifier = async (_publisherNames: string[], file: string): Promise<string | null> => {
    try {
      const name = offeredFile ? basename(offeredFile) : basename(file).replace(/^temp-/, '');
      const signature = await readFeedSignature(policy.feedUrl, name, policy.fetchImpl);
      if (!signature) throw new UpdateError('signature-missing', `no signature for ${name}`);
      await verifyArtifact(file, signature, { publicKeyPem: policy.publicKeyPem, fileName: name });
      return null;
    } catch (error) {
      if (error instanceof UpdateError) return error.message;
      return `signature check failed: ${(error as Error).name}`;
    }
  };
  // Windows (NsisUpdater) calls it after the SHA-512 check when app-update.yml carries a publisherName, which
  // electron-builder.yml's publish entry sets for that reason; without it electron-updater would skip the check.
  if ('verifyUpdateCodeSignature' in updater)
    (updater as AppUpdater & { verifyUpdateCodeSignature: typeof verifier }).verifyUpdateCodeSignature =
      verifier;
}
