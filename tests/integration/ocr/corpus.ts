import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The shared Vietnamese OCR corpus (see its README), next to the repository. */
export const CORPUS_DIR = join(import.meta.dirname, '../../../../shared/corpus/ocr');

export const corpusFile = (name: string) => join(CORPUS_DIR, name);
export const groundTruth = (doc: string) => readFileSync(join(CORPUS_DIR, `${doc}.gt.txt`), 'utf8');
