import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UpdateError } from './errors';
import { RELEASE_PUBLIC_KEY_PEM } from './release-key';
import { fileDigest, type ReleaseSignature, SIGNATURE_SUFFIX, signatureHolds } from './release-signature';
import { isWithinRollout, rolloutBucket } from './staging';
import {
  type FeedRelease,
  type FeedSource,
  feedFileLocation,
  isHttpFeed,
  parseSignature,
  readFeed,
  readFeedSignature,
} from './update-feed';
import { compareVersions } from './versions';

export interface UpdatePolicy {
  /** Feeds in order: the provincial mirror, then the fallback; or one local folder (USB). */
  feeds: readonly FeedSource[];
  /** The channel file to read (update-feed.ts `channelFileName`). */
  channelFile: string;
  currentVersion: string;
  /** Stable id of this desk (the enrolled device id, else the local install id): decides staged rollout. */
  deskId: string;
  allowRollback: boolean;
  /** The release key's public half; the built-in one unless a test gives its own. */
  publicKeyPem?: string;
  fetchImpl?: typeof fetch;
}

export type UpdateCheck =
  | { state: 'up-to-date'; currentVersion: string; feedVersion: string; feed: FeedSource }
  | {
      state: 'available';
      currentVersion: string;
      feedVersion: string;
      feed: FeedSource;
      /** The feed offers an older version and policy allows rolling back to it. */
      rollback: boolean;
      release: FeedRelease;
      signature: ReleaseSignature;
    }
  | {
      state: 'not-in-rollout';
      currentVersion: string;
      feedVersion: string;
      feed: FeedSource;
      stagingPercentage: number;
      bucket: number;
    }
  | { state: 'refused'; currentVersion: string; feedVersion: string; feed: FeedSource; error: UpdateError };

/**
 * What the feed offers this desk, checked before anything is downloaded: newer (or an allowed rollback),
 * inside the staged rollout, and signed by the release key over the very version and SHA-512 latest.yml names.
 */
export async function checkForUpdate(policy: UpdatePolicy): Promise<UpdateCheck> {
  const release = await readFeed(policy.feeds, policy.channelFile, policy.fetchImpl);
  const base = {
    currentVersion: policy.currentVersion,
    feedVersion: release.info.version,
    feed: release.feed,
  };
  const order = compareVersions(release.info.version, policy.currentVersion);
  if (order === 0) return { state: 'up-to-date', ...base };
  if (order < 0 && !policy.allowRollback) {
    const error = new UpdateError(
      'downgrade',
      `feed offers ${release.info.version} < ${policy.currentVersion}`,
      {
        feedVersion: release.info.version,
        currentVersion: policy.currentVersion,
      },
    );
    return { state: 'refused', ...base, error };
  }
  const staging = release.info.stagingPercentage;
  if (!isWithinRollout(policy.deskId, staging))
    return {
      state: 'not-in-rollout',
      ...base,
      stagingPercentage: staging ?? 100,
      bucket: rolloutBucket(policy.deskId),
    };
  try {
    const signature = await readFeedSignature(release.feed, release.file.url, policy.fetchImpl);
    checkSignatureFacts(signature, release, policy.publicKeyPem);
    return {
      state: 'available',
      ...base,
      rollback: order < 0,
      release,
      signature: signature as ReleaseSignature,
    };
  } catch (error) {
    if (error instanceof UpdateError) return { state: 'refused', ...base, error };
    throw error;
  }
}

function checkSignatureFacts(
  signature: ReleaseSignature | null,
  release: FeedRelease,
  publicKeyPem = RELEASE_PUBLIC_KEY_PEM,
): asserts signature is ReleaseSignature {
  if (!signature)
    throw new UpdateError('signature-missing', `no ${SIGNATURE_SUFFIX} for ${release.file.url}`);
  const sameFacts =
    signature.file === release.file.url &&
    signature.version === release.info.version &&
    signature.sha512 === release.file.sha512;
  if (!sameFacts || !signatureHolds(signature, publicKeyPem))
    throw new UpdateError('signature-invalid', `signature does not hold for ${release.file.url}`);
}

/**
 * Downloads (or copies from the USB folder) the offered artifact into `dir` and keeps it only when its SHA-512
 * matches latest.yml and the signature: a partial or tampered file is deleted, never left to be installed.
 */
export async function downloadVerified(
  check: Extract<UpdateCheck, { state: 'available' }>,
  dir: string,
  options: { publicKeyPem?: string; fetchImpl?: typeof fetch } = {},
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const name = check.release.file.url;
  const target = join(dir, name);
  const temp = join(dir, `.${randomUUID()}.part`);
  try {
    const location = feedFileLocation(check.feed, name);
    if (isHttpFeed(check.feed)) {
      const response = await (options.fetchImpl ?? fetch)(location);
      if (!response.ok || !response.body)
        throw new UpdateError('feed-unreachable', `download answered HTTP ${response.status}`, {
          feed: check.feed,
        });
      await pipeline(Readable.fromWeb(response.body as never), createWriteStream(temp, { mode: 0o600 }));
    } else {
      await pipeline(createReadStream(location), createWriteStream(temp, { mode: 0o600 }));
    }
    await verifyArtifact(temp, check.signature, {
      publicKeyPem: options.publicKeyPem,
      expectedSha512: check.release.file.sha512,
      fileName: name,
    });
    await rename(temp, target);
    return target;
  } finally {
    await rm(temp, { force: true });
  }
}

export interface VerifiedArtifact {
  file: string;
  version: string;
  sha512: string;
  size: number;
}

/**
 * The checks an installer must pass before anything runs it: its bytes' SHA-512 and size are the signed ones,
 * the signature is by the release key, and (when given) latest.yml's SHA-512 agrees.
 */
export async function verifyArtifact(
  path: string,
  signature: ReleaseSignature,
  options: { publicKeyPem?: string | undefined; expectedSha512?: string; fileName?: string } = {},
): Promise<VerifiedArtifact> {
  let digest: { sha512: string; size: number };
  try {
    digest = await fileDigest(path);
  } catch (error) {
    throw new UpdateError(
      'file-unreadable',
      `cannot read artifact: ${(error as NodeJS.ErrnoException).code}`,
    );
  }
  const name = options.fileName ?? basename(path);
  if (
    digest.sha512 !== signature.sha512 ||
    digest.size !== signature.size ||
    (options.expectedSha512 !== undefined && digest.sha512 !== options.expectedSha512)
  )
    throw new UpdateError('checksum-mismatch', `sha512 of ${name} does not match`);
  if (signature.file !== name || !signatureHolds(signature, options.publicKeyPem ?? RELEASE_PUBLIC_KEY_PEM))
    throw new UpdateError('signature-invalid', `signature does not hold for ${name}`);
  return { file: name, version: signature.version, sha512: digest.sha512, size: digest.size };
}

/** `motcua update verify FILE`: FILE beside its `FILE.sig.json` (as copied from the feed or a USB stick). */
export async function verifyArtifactFile(
  path: string,
  options: { publicKeyPem?: string; currentVersion?: string; allowRollback?: boolean } = {},
): Promise<VerifiedArtifact> {
  const sigPath = `${path}${SIGNATURE_SUFFIX}`;
  if (!existsSync(sigPath))
    throw new UpdateError('signature-missing', `no ${SIGNATURE_SUFFIX} beside the file`);
  const signature = parseSignature(await readFile(sigPath, 'utf8'));
  const verified = await verifyArtifact(path, signature, { publicKeyPem: options.publicKeyPem });
  if (
    options.currentVersion &&
    !options.allowRollback &&
    compareVersions(verified.version, options.currentVersion) < 0
  )
    throw new UpdateError('downgrade', `artifact ${verified.version} < ${options.currentVersion}`, {
      feedVersion: verified.version,
      currentVersion: options.currentVersion,
    });
  return verified;
}
