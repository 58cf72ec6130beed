/** What every handler of the reference server shares. */
import type { Logger } from '../../electron/services/logging/logger';
import type { Db } from './db';
import type { FaultController } from './faults';
import type { RequestLog } from './request-log';

export interface ServerState {
  db: Db;
  dataDir: string;
  clock: () => Date;
  logger: Logger;
  faults: FaultController;
  adminToken: string;
  /** MaCoQuan of the receiving agency new desks are enrolled for unless an enrolment code says otherwise. */
  agencyCode: string;
  maxJsonBytes: number;
  maxFileBytes: number;
  /** Admin bodies carry base64 documents: a separate, larger limit. */
  maxAdminBytes: number;
  requests: RequestLog;
}
