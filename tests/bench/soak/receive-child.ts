/**
 * Soak child "receive": one whole reception through the Desk API in-process, the same calls the renderer makes —
 * sign in, draft, a flatbed sheet from the libsane `test` device for each required component, attached, complete
 * (code issued, receipt printed). Prints `ready` once the desk is open, `step <name>` at each phase (so the
 * parent can aim its kill at any phase) and `received <code>` once the reception has committed. The parent kills it with SIGKILL at a random moment, so most runs die half-way.
 * Usage: receive-child.ts DATA_DIR CLERK_ID PIN INDEX
 */
import type { DeskEvents, ScanSettingsView } from '../../../electron/api/desk-api';
import { Desk } from '../../../electron/services/desk/desk';
import { silentLogger } from '../../../electron/services/logging/logger';
import { value } from '../../support/desk-call';

const [dataDir = '', clerkId = '', pin = '', indexText = '0'] = process.argv.slice(2);
if (!dataDir || !clerkId || !pin) throw new Error('usage: receive-child.ts DATA_DIR CLERK_ID PIN INDEX');
const index = Number(indexText);

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô'];
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Ngọc', 'Quốc', 'Thanh', 'Hữu'];
const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Hà', 'Hạnh', 'Hùng', 'Lan', 'Long', 'Mai', 'Nhung'];
// A different citizen every cycle: the desk's once-only reuse must not turn a cycle into a different workflow.
const applicant = {
  fullName: `${FAMILY[index % 10]} ${MIDDLE[index % 8]} ${GIVEN[index % 11]}`,
  idNumber: `0381920${String(index).padStart(5, '0')}`,
  dateOfBirth: '1992-03-15',
  sex: index % 2 ? 'Nam' : 'Nữ',
  address: 'Thôn Đông Hải, Quảng Phú, Thanh Hóa',
};
const settings: ScanSettingsView = { source: 'flatbed', resolution: 75, mode: 'gray', pageSize: 'A5' };

const desk = new Desk({ dataDir, networkPollMs: 0, logger: silentLogger });
process.stdout.write('ready\n');
await value(desk.call('signIn', { clerkId, pin }));
process.stdout.write('step signed-in\n');
const draft = await value(desk.call('startReception', { procedureCode: '1.001193', applicant }));
process.stdout.write('step draft\n');
/** One flatbed sheet per required component: a short reception, so a cycle fits the soak's time budget. */
async function scanSheet(): Promise<string> {
  let batchId = '';
  const ended = new Promise<void>((resolve) => {
    const off = desk.events.subscribe((event, payload) => {
      if (event === 'scanEnded' && (payload as DeskEvents['scanEnded']).batchId === batchId) {
        off();
        resolve();
      }
    });
  });
  ({ batchId } = await value(desk.call('startScan', { deviceId: 'test:0', settings })));
  await ended;
  process.stdout.write('step scanned\n');
  return batchId;
}
for (const componentCode of draft.components.filter((c) => c.required).map((c) => c.code)) {
  const batchId = await scanSheet();
  await value(desk.call('attachScan', { dossierId: draft.dossierId, componentCode, batchId }));
  process.stdout.write('step attached\n');
}
const { view } = await value(desk.call('completeReception', { dossierId: draft.dossierId }));
process.stdout.write(`received ${view.code}\n`);
await desk.close();
process.stdout.write('finished\n');
