import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../electron/services/logging/logger';

describe('log privacy guard', () => {
  it('drops values of personal-looking fields and scrubs ID-number-like digit runs, keeping ids and counts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'motcua-logs-'));
    const logger = createLogger({ dir, clock: () => new Date('2026-01-02T03:04:05Z') });
    logger.info('dossier.created', {
      dossierId: '5f0c6c1e-1d2b-4f7a-9a51-0d1f3c2b4a10',
      applicantName: 'Hoàng Văn Thái',
      address: 'Xóm 3, xã Nghi Lộc',
      pages: 12,
      detail: 'card 001203004005 rejected',
      name: 'Hoàng Văn Thái',
      procedure: '1.001193',
    });
    const [file] = readdirSync(dir);
    const line = JSON.parse(readFileSync(join(dir, file as string), 'utf8'));
    expect(line).toMatchObject({
      event: 'dossier.created',
      dossierId: '5f0c6c1e-1d2b-4f7a-9a51-0d1f3c2b4a10',
      applicantName: '[redacted]',
      address: '[redacted]',
      name: '[redacted]',
      pages: 12,
      procedure: '1.001193',
      detail: 'card [số giấy tờ] rejected',
    });
  });
});
