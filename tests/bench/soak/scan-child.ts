/**
 * Soak child "scan": one ADF batch of the libsane `test` device into the desk's store through the scan service,
 * as the desk runs it. Prints `ready` once the store is open, `step reading`
 * when the first page starts arriving, and `page <batchId> <seq> <sha256>` after each page's
 * row has committed (the page is durable from then on). The parent kills it with SIGKILL at a random moment.
 * Usage: scan-child.ts DATA_DIR RESOLUTION (the `test` feeder holds 10 sheets; the parent varies the dpi so
 * batches bring new bytes, not only pages the store already holds)
 */
import { SaneDriver } from '../../../electron/services/scan/sane-driver';
import { ScanService } from '../../../electron/services/scan/scan-service';
import { openStore } from '../../../electron/services/store/store';
import { SaneClient } from '../../../native/sane/client';

const [dataDir, resolutionText = '75'] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: scan-child.ts DATA_DIR RESOLUTION');

const store = openStore(dataDir);
const service = new ScanService(store, new SaneDriver(SaneClient.shared()));
let reading = false;
process.stdout.write('ready\n');
await service.startBatch({
  deviceId: 'test:0',
  settings: {
    source: 'adf',
    resolution: Number(resolutionText),
    mode: 'gray',
    pageSize: 'A5',
    // A picture with content, not a blank page: the same picture the scan crash test uses.
    // A pause per buffer spreads the batch over about a second, so kills land inside pages too.
    deviceOptions: { 'test-picture': 'Grid', 'read-delay': true, 'read-delay-duration': 10_000 },
  },
  onEvent: (event) => {
    if (event.type === 'page-progress' && !reading) {
      reading = true;
      process.stdout.write('step reading\n');
    }
    if (event.type === 'page-stored')
      process.stdout.write(`page ${event.batchId} ${event.page.seq} ${event.page.sha256}\n`);
  },
});
store.close();
process.stdout.write('finished\n');
