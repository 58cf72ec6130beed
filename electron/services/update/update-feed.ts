import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { z } from 'zod';
import { UpdateError } from './errors';
import { type ReleaseSignature, releaseSignatureSchema, SIGNATURE_SUFFIX } from './release-signature';

/** A feed is an HTTP(S) folder (the provincial mirror) or a local folder (a USB stick): the same files, the same checks. */
export type FeedSource = string;

const FEED_TIMEOUT_MS = 20_000;
const MAX_FEED_FILE_BYTES = 1024 * 1024;

/** latest.yml as electron-builder writes it (app-builder-lib's UpdateInfo), the fields we use. */
export const updateInfoSchema = z.object({
  version: z.string().min(1).max(64),
  files: z
    .array(
      z.object({
        url: z.string().min(1).max(255),
        sha512: z.string().length(88),
        size: z.number().int().min(0).optional(),
      }),
    )
    .min(1),
  path: z.string().optional(),
  sha512: z.string().optional(),
  releaseDate: z.string().optional(),
  stagingPercentage: z.number().optional(),
});
export type UpdateInfo = z.infer<typeof updateInfoSchema>;

/** The channel file electron-updater asks for: `latest.yml` on Windows, `latest-linux.yml` on Linux… */
export function channelFileName(channel: string, platform: NodeJS.Platform = process.platform): string {
  const base = channel === 'stable' ? 'latest' : channel;
  if (platform === 'win32') return `${base}.yml`;
  if (platform === 'darwin') return `${base}-mac.yml`;
  return `${base}-linux${process.arch === 'arm64' ? '-arm64' : ''}.yml`;
}

export function isHttpFeed(source: FeedSource): boolean {
  return /^https?:\/\//i.test(source);
}

/** A name from the feed is a plain file name: never a path out of the feed folder or to another host. */
function safeName(name: string): string {
  if (!/^[\w.+ -]+$/.test(name) || name.startsWith('.') || name.includes('..'))
    throw new UpdateError('feed-invalid', `unsafe file name in feed: ${name.slice(0, 60)}`);
  return name;
}

export function feedFileLocation(source: FeedSource, name: string): string {
  const file = safeName(name);
  if (isHttpFeed(source))
    return new URL(encodeURIComponent(file), source.endsWith('/') ? source : `${source}/`).href;
  return join(source, file);
}

async function readFeedBytes(
  source: FeedSource,
  name: string,
  fetchImpl: typeof fetch,
): Promise<Buffer | null> {
  const location = feedFileLocation(source, name);
  if (!isHttpFeed(source)) {
    try {
      return await readFile(location);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new UpdateError(
        'feed-unreachable',
        `feed folder unreadable: ${(error as NodeJS.ErrnoException).code}`,
      );
    }
  }
  let response: Response;
  try {
    response = await fetchImpl(location, { signal: AbortSignal.timeout(FEED_TIMEOUT_MS) });
  } catch (error) {
    throw new UpdateError('feed-unreachable', `feed unreachable: ${(error as Error).name}`, { feed: source });
  }
  if (response.status === 404) return null;
  if (!response.ok)
    throw new UpdateError('feed-unreachable', `feed answered HTTP ${response.status}`, { feed: source });
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > MAX_FEED_FILE_BYTES) throw new UpdateError('feed-invalid', 'feed file too large');
  return body;
}

export interface FeedRelease {
  feed: FeedSource;
  info: UpdateInfo;
  /** The artifact this platform installs (the first file of latest.yml, as electron-updater picks). */
  file: { url: string; sha512: string; size: number | undefined };
}

/** Reads the channel file from the first feed that answers; a feed that is down falls through to the next. */
export async function readFeed(
  feeds: readonly FeedSource[],
  channelFile: string,
  fetchImpl: typeof fetch = fetch,
): Promise<FeedRelease> {
  let lastError: UpdateError = new UpdateError('feed-unreachable', 'no feed configured', { feed: '-' });
  for (const feed of feeds) {
    try {
      const bytes = await readFeedBytes(feed, channelFile, fetchImpl);
      if (!bytes) throw new UpdateError('feed-unreachable', `${channelFile} not found`, { feed });
      let parsed: unknown;
      try {
        parsed = load(bytes.toString('utf8'));
      } catch {
        throw new UpdateError('feed-invalid', `${channelFile} is not YAML`);
      }
      const info = updateInfoSchema.safeParse(parsed);
      if (!info.success)
        throw new UpdateError('feed-invalid', `${channelFile} does not match electron-builder's UpdateInfo`);
      const first = info.data.files[0] as UpdateInfo['files'][number];
      return {
        feed,
        info: info.data,
        file: { url: safeName(first.url), sha512: first.sha512, size: first.size },
      };
    } catch (error) {
      if (!(error instanceof UpdateError)) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

/** The artifact's `<file>.sig.json` from the same feed, or null when the feed has none. */
export async function readFeedSignature(
  feed: FeedSource,
  fileName: string,
  fetchImpl: typeof fetch = fetch,
): Promise<ReleaseSignature | null> {
  const bytes = await readFeedBytes(feed, `${fileName}${SIGNATURE_SUFFIX}`, fetchImpl);
  if (!bytes) return null;
  return parseSignature(bytes.toString('utf8'));
}

export function parseSignature(text: string): ReleaseSignature {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UpdateError('signature-invalid', 'signature file is not JSON');
  }
  const parsed = releaseSignatureSchema.safeParse(raw);
  if (!parsed.success) throw new UpdateError('signature-invalid', 'signature file has the wrong shape');
  return parsed.data;
}
