import { lookup } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { connect, type PeerCertificate, rootCertificates } from 'node:tls';
import { spkiSha256 } from './provincial-fetch';

/** The PEM files of `network.extraCaFiles` that can be read, and the ones that cannot (doctor names them). */
export function readExtraCaCertificates(files: readonly string[]): { pems: string[]; unreadable: string[] } {
  const pems: string[] = [];
  const unreadable: string[] = [];
  for (const file of files) {
    try {
      const text = readFileSync(file, 'utf8');
      if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new Error('not PEM');
      pems.push(text);
    } catch {
      unreadable.push(file);
    }
  }
  return { pems, unreadable };
}

export type NetworkStep = 'dns' | 'connect' | 'tls-chain' | 'pin';
export type NetworkPathResult =
  | { ok: true; steps: NetworkStep[]; ms: number }
  | { ok: false; failedStep: NetworkStep; detail: string; steps: NetworkStep[] };

/**
 * Walks the way to the provincial server one step at a time, so IT is told which one fails: the name resolves
 * (DNS), a connection opens, the certificate chain is trusted (system CAs plus the intranet's extra CAs), and
 * one key of the chain is pinned (when pins are set). Plain-http loopback servers stop after `connect`.
 */
export async function probeNetworkPath(
  serverUrl: string,
  options: { extraCa?: readonly string[]; pinnedSpkiSha256?: readonly string[]; timeoutMs?: number } = {},
): Promise<NetworkPathResult> {
  const started = performance.now();
  const url = new URL(serverUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const steps: NetworkStep[] = [];
  try {
    await lookup(host);
  } catch (error) {
    return {
      ok: false,
      failedStep: 'dns',
      detail: (error as NodeJS.ErrnoException).code ?? 'lookup failed',
      steps,
    };
  }
  steps.push('dns');
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (url.protocol !== 'https:') {
    const { Socket } = await import('node:net');
    const opened = await new Promise<string | null>((resolve) => {
      const socket = new Socket();
      socket.setTimeout(timeoutMs, () => socket.destroy(new Error('timeout')));
      socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      socket.connect(port, host, () => {
        socket.end();
        resolve(null);
      });
    });
    if (opened) return { ok: false, failedStep: 'connect', detail: opened, steps };
    return { ok: true, steps: [...steps, 'connect'], ms: Math.round(performance.now() - started) };
  }
  const outcome = await new Promise<{ step: NetworkStep; detail: string; chain?: PeerCertificate } | null>(
    (resolve) => {
      let connected = false;
      const socket = connect({
        host,
        port,
        servername: /^[\d.:]+$/.test(host) ? undefined : host,
        ca: options.extraCa?.length ? [...rootCertificates, ...options.extraCa] : undefined,
        rejectUnauthorized: false,
      });
      socket.setTimeout(timeoutMs, () => socket.destroy(new Error('timeout')));
      socket.once('connect', () => {
        connected = true;
      });
      socket.once('error', (e: NodeJS.ErrnoException) =>
        resolve({ step: connected ? 'tls-chain' : 'connect', detail: e.code ?? e.message }),
      );
      socket.once('secureConnect', () => {
        const chain = socket.getPeerCertificate(true);
        const authorized = socket.authorized;
        const reason = socket.authorizationError ? String(socket.authorizationError) : 'untrusted';
        socket.end();
        resolve(authorized ? { step: 'pin', detail: '', chain } : { step: 'tls-chain', detail: reason });
      });
    },
  );
  if (!outcome) return { ok: false, failedStep: 'connect', detail: 'no answer', steps };
  if (outcome.step !== 'pin') {
    if (outcome.step === 'tls-chain') steps.push('connect');
    return { ok: false, failedStep: outcome.step, detail: outcome.detail, steps };
  }
  steps.push('connect', 'tls-chain');
  const pins = options.pinnedSpkiSha256 ?? [];
  if (pins.length > 0) {
    const keys = new Set<string>();
    let cert: PeerCertificate | undefined = outcome.chain;
    for (let depth = 0; cert?.raw && depth < 10; depth += 1) {
      keys.add(spkiSha256(cert));
      const issuer = (cert as PeerCertificate & { issuerCertificate?: PeerCertificate }).issuerCertificate;
      cert = issuer && issuer !== cert ? issuer : undefined;
    }
    if (!pins.some((pin) => keys.has(pin)))
      return { ok: false, failedStep: 'pin', detail: 'no pinned key in the chain', steps };
    steps.push('pin');
  }
  return { ok: true, steps, ms: Math.round(performance.now() - started) };
}
