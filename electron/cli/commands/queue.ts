import { EXIT_OK } from '../command';
import { gatedCommand } from '../desk-session';
import { queueLine } from './sync-common';

export const queueCommand = gatedCommand({
  name: 'queue',
  summary: 'Xem hàng đợi gửi hồ sơ lên tỉnh: số hồ sơ chờ gửi, dung lượng, hồ sơ cần xử lý',
  usage: 'motcua queue [--json]',
  options: {},
  positionals: { min: 0, max: 0 },
  async run({ values, stdout }, desk) {
    const state = await desk.call('getSyncState');
    const parkedItems = await desk.call('listParkedDossiers');
    if (values.json) {
      stdout(`${JSON.stringify({ ...state, parkedItems })}\n`);
    } else {
      stdout(`${queueLine(state)}\n`);
      if (state.lastError) stdout(`${state.lastError.clerkMessage}\n`);
      for (const item of parkedItems) stdout(`  - ${item.message}\n`);
    }
    return EXIT_OK;
  },
});
