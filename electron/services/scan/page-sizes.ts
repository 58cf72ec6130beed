import type { PageSizeName } from './types';

/** Paper sizes the desk scans, portrait, in millimetres (ISO 216 and US Letter). */
export const PAGE_SIZES: Record<PageSizeName, { widthMm: number; heightMm: number }> = {
  A4: { widthMm: 210, heightMm: 297 },
  A5: { widthMm: 148, heightMm: 210 },
  Letter: { widthMm: 215.9, heightMm: 279.4 },
};

export const PAGE_SIZE_NAMES = Object.keys(PAGE_SIZES) as PageSizeName[];

/** Devices often report 215.9 or 216 mm for "A4/Letter width": allow half a millimetre. */
const TOLERANCE_MM = 0.5;

export function pageSizesWithin(maxWidthMm: number, maxHeightMm: number): PageSizeName[] {
  return PAGE_SIZE_NAMES.filter((name) => {
    const { widthMm, heightMm } = PAGE_SIZES[name];
    return widthMm <= maxWidthMm + TOLERANCE_MM && heightMm <= maxHeightMm + TOLERANCE_MM;
  });
}

/** Scan area for a page size, top-left at the origin, clipped to what the device can reach. */
export function scanArea(
  name: PageSizeName,
  maxWidthMm: number,
  maxHeightMm: number,
): { tlX: number; tlY: number; brX: number; brY: number } {
  const { widthMm, heightMm } = PAGE_SIZES[name];
  return { tlX: 0, tlY: 0, brX: Math.min(widthMm, maxWidthMm), brY: Math.min(heightMm, maxHeightMm) };
}
