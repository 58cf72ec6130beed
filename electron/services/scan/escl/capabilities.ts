/**
 * `ScannerCapabilities` → what the desk can ask of the device. Each input (platen, ADF simplex, ADF duplex) has
 * its own colour modes, formats, resolutions and size limits; the desk's profile sees their union, and a scan
 * uses the caps of the input it picked (shared/design/SCANNERS.md §1.3; duplex ⇔ AdfDuplexInputCaps present).
 */
import type { ColorMode } from '../../imaging/raw-page';
import { pageSizesWithin } from '../page-sizes';
import type { ScannerCapabilities, ScanSource } from '../types';
import { find, findAll, numberOf, parseXml, textOf, type XmlElement } from './xml';

export type EsclColorMode = 'BlackAndWhite1' | 'Grayscale8' | 'RGB24';
export type EsclFormat = 'image/jpeg' | 'image/png';

export interface EsclInputCaps {
  colorModes: EsclColorMode[];
  formats: EsclFormat[];
  resolutions: number[];
  /** 1/300 inch. */
  maxWidth: number;
  maxHeight: number;
}

export interface EsclCapabilities {
  makeAndModel: string;
  manufacturer: string;
  serialNumber: string;
  uuid: string;
  inputs: Partial<Record<ScanSource, EsclInputCaps>>;
}

const KNOWN_MODES: EsclColorMode[] = ['BlackAndWhite1', 'Grayscale8', 'RGB24'];
const KNOWN_FORMATS: EsclFormat[] = ['image/jpeg', 'image/png'];
/** Offered when a device gives a resolution range instead of a list. */
const COMMON_RESOLUTIONS = [75, 100, 150, 200, 240, 300, 400, 600, 1200];
const MM_PER_UNIT = 25.4 / 300;

function resolutionsOf(caps: XmlElement): number[] {
  const found = new Set<number>();
  for (const discrete of findAll(caps, 'DiscreteResolution')) {
    const x = numberOf(discrete, 'XResolution');
    const y = numberOf(discrete, 'YResolution') ?? x;
    // The desk scans square pixels: a 300×600 entry is not offered.
    if (x && x === y) found.add(x);
  }
  for (const range of findAll(caps, 'XResolutionRange')) {
    const min = numberOf(range, 'Min') ?? 0;
    const max = numberOf(range, 'Max') ?? 0;
    const step = numberOf(range, 'Step') ?? 1;
    for (const r of COMMON_RESOLUTIONS)
      if (r >= min && r <= max && (step <= 1 || (r - min) % step === 0)) found.add(r);
  }
  return [...found].sort((a, b) => a - b);
}

function inputCaps(caps: XmlElement | undefined): EsclInputCaps | undefined {
  if (!caps) return undefined;
  const colorModes = KNOWN_MODES.filter((m) => findAll(caps, 'ColorMode').some((e) => e.text === m));
  const formatNames = [...findAll(caps, 'DocumentFormat'), ...findAll(caps, 'DocumentFormatExt')].map(
    (e) => e.text,
  );
  const formats = KNOWN_FORMATS.filter((f) => formatNames.includes(f));
  const resolutions = resolutionsOf(caps);
  const maxWidth = numberOf(caps, 'MaxWidth') ?? 0;
  const maxHeight = numberOf(caps, 'MaxHeight') ?? 0;
  // An input the desk cannot use (no mode, format or resolution it knows) is left out, not half-offered.
  if (colorModes.length === 0 || formats.length === 0 || resolutions.length === 0) return undefined;
  return { colorModes, formats, resolutions, maxWidth, maxHeight };
}

export function parseCapabilities(xml: string): EsclCapabilities {
  const root = parseXml(xml);
  if (root.name !== 'ScannerCapabilities') throw new Error(`unexpected capabilities root <${root.name}>`);
  const inputs: EsclCapabilities['inputs'] = {};
  const platen = inputCaps(find(root, 'Platen', 'PlatenInputCaps'));
  const simplex = inputCaps(find(root, 'Adf', 'AdfSimplexInputCaps'));
  const duplex = inputCaps(find(root, 'Adf', 'AdfDuplexInputCaps'));
  if (platen) inputs.flatbed = platen;
  if (simplex) inputs.adf = simplex;
  if (duplex) inputs.duplex = duplex;
  const makeAndModel = textOf(root, 'MakeAndModel') ?? '';
  return {
    makeAndModel,
    manufacturer: textOf(root, 'Manufacturer') ?? makeAndModel.split(/\s+/)[0] ?? '',
    serialNumber: textOf(root, 'SerialNumber') ?? '',
    uuid: textOf(root, 'UUID') ?? '',
    inputs,
  };
}

export const ESCL_MODE_FOR: Record<ColorMode, EsclColorMode> = {
  color: 'RGB24',
  gray: 'Grayscale8',
  bw: 'BlackAndWhite1',
};

/**
 * How a colour mode is reached on an input: its own eSCL mode, or — for black-and-white on a device that only
 * offers grey — grey, thresholded on the desk (many MFPs send lineart as grey anyway).
 */
export function esclModeFor(input: EsclInputCaps, mode: ColorMode): EsclColorMode | undefined {
  const wanted = ESCL_MODE_FOR[mode];
  if (input.colorModes.includes(wanted)) return wanted;
  if (mode === 'bw' && input.colorModes.includes('Grayscale8')) return 'Grayscale8';
  return undefined;
}

const SOURCE_ORDER: ScanSource[] = ['flatbed', 'adf', 'duplex'];

/** The union the desk's scan profiles and settings panel offer. */
export function toScannerCapabilities(caps: EsclCapabilities): ScannerCapabilities {
  const inputs = SOURCE_ORDER.flatMap((s) => (caps.inputs[s] ? [caps.inputs[s]] : []));
  const modes = (['color', 'gray', 'bw'] as ColorMode[]).filter((m) =>
    inputs.some((input) => esclModeFor(input, m)),
  );
  const resolutions = [...new Set(inputs.flatMap((i) => i.resolutions))].sort((a, b) => a - b);
  const maxWidthMm = Math.max(0, ...inputs.map((i) => i.maxWidth * MM_PER_UNIT));
  const maxHeightMm = Math.max(0, ...inputs.map((i) => i.maxHeight * MM_PER_UNIT));
  return {
    sources: SOURCE_ORDER.filter((s) => caps.inputs[s]),
    modes,
    resolutions,
    pageSizes: pageSizesWithin(maxWidthMm, maxHeightMm),
    maxWidthMm: Math.round(maxWidthMm * 10) / 10,
    maxHeightMm: Math.round(maxHeightMm * 10) / 10,
  };
}

export const MM_PER_ESCL_UNIT = MM_PER_UNIT;
