import { format, vi } from '../../api/i18n';
import { loadConfig } from '../../services/config/config';
import { resolveDataDir } from '../../services/config/data-dir';
import { UpdateError } from '../../services/update/errors';
import { checkForUpdate, type UpdateCheck, verifyArtifactFile } from '../../services/update/update-check';
import { channelFileName } from '../../services/update/update-feed';
import { APP_VERSION } from '../../services/version';
import { type Command, type CommandContext, EXIT_FAILURE, EXIT_OK } from '../command';
import { withDesk } from '../desk-session';

const t = vi.update;

/**
 * Tests sign with their own key pair and pretend another running version; outside a test run (NODE_ENV=test,
 * as vitest sets) the built-in release key and the real version always apply.
 */
function testOverrides(env: NodeJS.ProcessEnv): { key: { publicKeyPem?: string }; version: string } {
  const testing = env.NODE_ENV === 'test';
  const key =
    testing && env.MOTCUA_TEST_RELEASE_PUBLIC_KEY ? { publicKeyPem: env.MOTCUA_TEST_RELEASE_PUBLIC_KEY } : {};
  return { key, version: (testing && env.MOTCUA_TEST_RUNNING_VERSION) || APP_VERSION };
}

function describeCheck(check: UpdateCheck): string {
  switch (check.state) {
    case 'up-to-date':
      return format(t.upToDate, { version: check.currentVersion });
    case 'available':
      return format(check.rollback ? t.rollbackAvailable : t.available, {
        version: check.feedVersion,
        current: check.currentVersion,
      });
    case 'not-in-rollout':
      return format(t.notInRollout, { version: check.feedVersion, percent: check.stagingPercentage });
    case 'refused':
      return check.error.clerkMessage;
  }
}

/** What --json prints: facts, no object internals (the release's latest.yml entry and the signature's facts). */
function checkJson(check: UpdateCheck) {
  const { state, currentVersion, feedVersion, feed } = check;
  const base = { state, currentVersion, feedVersion, feed, message: describeCheck(check) };
  if (check.state === 'available')
    return { ...base, rollback: check.rollback, file: check.release.file, signature: 'valid' };
  if (check.state === 'not-in-rollout')
    return { ...base, stagingPercentage: check.stagingPercentage, bucket: check.bucket };
  if (check.state === 'refused') return { ...base, reason: check.error.reason };
  return base;
}

async function runCheck({ values, env, stdout, stderr }: CommandContext): Promise<number> {
  const dataDir = resolveDataDir(env);
  const config = loadConfig(dataDir, env);
  const feeds = typeof values.feed === 'string' ? [values.feed] : config.update.feedUrls;
  if (feeds.length === 0) {
    stderr(`${t.noFeed}\n`);
    return EXIT_FAILURE;
  }
  // The desk opens as the app would and says which id staged rollout hashes (no sign-in: no one's data).
  const deskId = await withDesk(env, async (desk) => (await desk.call('getStoreInfo')).rolloutDeskId);
  try {
    const check = await checkForUpdate({
      feeds,
      channelFile: channelFileName(
        config.update.channel,
        (env.MOTCUA_UPDATE_PLATFORM as NodeJS.Platform) || process.platform,
      ),
      currentVersion: testOverrides(env).version,
      deskId,
      allowRollback: config.update.allowRollback,
      ...testOverrides(env).key,
    });
    if (values.json) stdout(`${JSON.stringify(checkJson(check))}\n`);
    else stdout(`${describeCheck(check)}\n`);
    return check.state === 'refused' ? EXIT_FAILURE : EXIT_OK;
  } catch (error) {
    if (!(error instanceof UpdateError)) throw error;
    if (values.json)
      stdout(`${JSON.stringify({ state: 'error', reason: error.reason, message: error.clerkMessage })}\n`);
    stderr(`${error.clerkMessage}\n`);
    return EXIT_FAILURE;
  }
}

async function runVerify({ values, positionals, env, stdout, stderr }: CommandContext): Promise<number> {
  const file = positionals[0] as string;
  const config = loadConfig(resolveDataDir(env), env);
  try {
    const verified = await verifyArtifactFile(file, {
      currentVersion: testOverrides(env).version,
      allowRollback: config.update.allowRollback,
      ...testOverrides(env).key,
    });
    if (values.json) stdout(`${JSON.stringify({ ok: true, ...verified })}\n`);
    else stdout(`${format(t.verified, { file: verified.file, version: verified.version })}\n`);
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof UpdateError)) throw error;
    if (values.json)
      stdout(`${JSON.stringify({ ok: false, reason: error.reason, message: error.clerkMessage })}\n`);
    else stderr(`${error.clerkMessage}\n`);
    return EXIT_FAILURE;
  }
}

export const updateCheckCommand: Command = {
  name: 'update check',
  summary: t.checkSummary,
  usage: 'motcua update check [--feed URL|THƯ_MỤC] [--json]   (THƯ_MỤC: bản cập nhật chép từ USB)',
  options: { feed: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  run: runCheck,
};

export const updateVerifyCommand: Command = {
  name: 'update verify',
  summary: t.verifySummary,
  usage: 'motcua update verify TỆP [--json]   (cần TỆP.sig.json bên cạnh)',
  options: {},
  positionals: { min: 1, max: 1 },
  run: runVerify,
};
