/**
 * The OCR worker thread: tesseract.js's own Node worker script, plus page clean-up done HERE rather than on
 * the caller's thread. The pool sends a page's raw pixels (see `RAW_PAGE_OPTION`); this thread suppresses
 * seal colours, filters noisy pages, wraps the result as PGM and hands it to Tesseract, so preparation of
 * one page runs in parallel with recognition of the others instead of serialising on the main thread.
 */
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import { prepareForOcr } from './preprocess';
import {
  type OcrImageSize,
  RAW_PAGE_OPTION,
  type RawPageGeometry,
  type WorkerTimings,
} from './worker-protocol';

const require = createRequire(import.meta.url);
// tesseract.js's Node worker (src/worker-script/node/index.js) is these four requires and a message
// handler; we keep its parts and put our handler in front.
const tesseract = require('tesseract.js/src/worker-script') as {
  setAdapter(adapter: object): void;
  dispatchHandlers(packet: Packet, send: (message: Reply) => void): void;
};
tesseract.setAdapter({
  getCore: require('tesseract.js/src/worker-script/node/getCore'),
  gunzip: require('tesseract.js/src/worker-script/node/gunzip'),
  fetch: globalThis.fetch,
  ...require('tesseract.js/src/worker-script/node/cache'),
});

interface Packet {
  jobId: string;
  workerId: string;
  action: string;
  payload: { image?: Uint8Array; options?: Record<string, unknown> };
}

interface Reply {
  jobId: string;
  workerId: string;
  action: string;
  status: string;
  data: unknown;
}

const port = parentPort;
if (!port) throw new Error('ocr-worker must run as a worker thread');

port.on('message', (packet: Packet) => {
  const options = packet.payload?.options;
  const geometry = options?.[RAW_PAGE_OPTION] as RawPageGeometry | undefined;
  if (packet.action !== 'recognize' || !geometry || !options || !packet.payload.image) {
    tesseract.dispatchHandlers(packet, (reply) => port.postMessage(reply));
    return;
  }
  const started = performance.now();
  let prepared: ReturnType<typeof prepareForOcr>;
  try {
    const data = packet.payload.image;
    const expected = geometry.width * geometry.height * geometry.channels;
    if (data.length !== expected) throw new Error(`page has ${data.length} bytes, expected ${expected}`);
    prepared = prepareForOcr({ ...geometry, data });
  } catch (error) {
    const { jobId, workerId, action } = packet;
    port.postMessage({ jobId, workerId, action, status: 'reject', data: String(error) } satisfies Reply);
    return;
  }
  const { [RAW_PAGE_OPTION]: _, ...tesseractOptions } = options;
  const prepareMs = performance.now() - started;
  const recognizeStarted = performance.now();
  const prepPacket: Packet = {
    ...packet,
    payload: {
      ...packet.payload,
      image: prepared.bytes,
      options: { ...tesseractOptions, user_defined_dpi: String(prepared.dpi) },
    },
  };
  tesseract.dispatchHandlers(prepPacket, (reply) => {
    if (reply.status === 'resolve' && reply.data && typeof reply.data === 'object') {
      const timings: WorkerTimings = {
        steps: prepared.steps,
        prepareMs,
        recognizeMs: performance.now() - recognizeStarted,
      };
      const ocrImage: OcrImageSize = { width: prepared.width, height: prepared.height, dpi: prepared.dpi };
      reply = { ...reply, data: { ...reply.data, timings, ocrImage } };
    }
    port.postMessage(reply);
  });
});
