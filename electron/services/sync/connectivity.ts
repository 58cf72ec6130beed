/** Health probe of the provincial system: the desk detects the network, it never assumes it. */
export interface ReachabilityResult {
  reachable: boolean;
  ms: number;
  /** English reason when unreachable (for logs and IT staff). */
  reason: string | null;
}

export const HEALTH_PATH = '/v1/health';

export async function probeProvincialServer(baseUrl: string, timeoutMs = 3000): Promise<ReachabilityResult> {
  const started = performance.now();
  // Relative to the base so a server mounted under a path prefix works too.
  const url = new URL(HEALTH_PATH.slice(1), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    await response.body?.cancel();
    const ms = Math.round(performance.now() - started);
    return response.ok
      ? { reachable: true, ms, reason: null }
      : { reachable: false, ms, reason: `HTTP ${response.status}` };
  } catch (error) {
    const ms = Math.round(performance.now() - started);
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { reachable: false, ms, reason: cause ?? (error as Error).name };
  }
}
