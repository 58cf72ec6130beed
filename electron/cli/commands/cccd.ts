import { existsSync } from 'node:fs';
import { format, vi } from '../../api/i18n';
import { type CccdRecord, cccdWarnings, parseCccdPayload } from '../../services/extract/cccd-payload';
import { ExtractError } from '../../services/extract/errors';
import { type Command, type CommandContext, EXIT_FAILURE, EXIT_OK } from '../command';

// Printing the citizen's data to stdout is what these commands are for; none of it goes to a log.

const displayDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

function printRecord(context: CommandContext, record: CccdRecord, extra: Record<string, unknown> = {}): void {
  const warnings = cccdWarnings(record);
  if (context.values.json) {
    context.stdout(`${JSON.stringify({ record, warnings, ...extra }, null, 2)}\n`);
    return;
  }
  const labels = vi.extract.card;
  const rows: [string, string][] = [
    [labels.idNumber, record.idNumber],
    [labels.oldIdNumber, record.oldIdNumber ?? vi.extract.none],
    [labels.fullName, record.fullName],
    [labels.dateOfBirth, displayDate(record.dateOfBirth)],
    [labels.sex, record.sex],
    [labels.address, record.address || vi.extract.none],
    [labels.issueDate, displayDate(record.issueDate)],
    [labels.extraFieldCount, String(record.extraFieldCount)],
  ];
  const lines = [vi.extract.cli.parseTitle, ...rows.map(([label, value]) => `  ${label}: ${value}`)];
  if (warnings.length > 0) {
    lines.push(vi.extract.cli.warningsTitle, ...warnings.map((w) => `  - ${vi.extract.warnings[w]}`));
  }
  context.stdout(`${lines.join('\n')}\n`);
}

/** Runs the work; a refusal of the data becomes its Vietnamese reason on stderr and exit 1. */
async function refusingGracefully(context: CommandContext, work: () => Promise<void>): Promise<number> {
  try {
    await work();
    return EXIT_OK;
  } catch (error) {
    if (error instanceof ExtractError) {
      context.stderr(`${error.clerkMessage}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const cccdParseCommand: Command = {
  name: 'cccd parse',
  summary: vi.extract.cli.parseSummary,
  usage: 'motcua cccd parse PAYLOAD|- [--json]',
  options: {},
  positionals: { min: 1, max: 1 },
  run(context) {
    return refusingGracefully(context, async () => {
      const argument = context.positionals[0] ?? '';
      const payload = argument === '-' ? await readStdin() : argument;
      printRecord(context, parseCccdPayload(payload));
    });
  },
};

export const cccdReadCommand: Command = {
  name: 'cccd read',
  summary: vi.extract.cli.readSummary,
  usage: 'motcua cccd read IMAGE [--json]',
  options: {},
  positionals: { min: 1, max: 1 },
  async run(context) {
    const path = context.positionals[0] ?? '';
    if (!existsSync(path)) {
      context.stderr(`${format(vi.extract.cli.fileNotFound, { path })}\n`);
      return EXIT_FAILURE;
    }
    // Loaded on demand: image decoding pulls in sharp, which every other command can do without.
    const { readCccdFromImage, closeQrDecoder } = await import('../../services/extract/qr-image');
    try {
      return await refusingGracefully(context, async () => {
        const { record, decode } = await readCccdFromImage(path);
        const { attempt, attempts, width, height } = decode;
        printRecord(context, record, { image: { attempt, attempts, width, height } });
      });
    } finally {
      await closeQrDecoder();
    }
  },
};
