/**
 * Structure of the 12-digit personal identification number (số định danh cá nhân), Circular 59/2021/TT-BCA:
 * 3 digits birth-registration province, 1 digit century + sex, 2 digits year of birth, 6 random digits.
 * Used only for soft consistency warnings: the card is the authority, never this check.
 */

/** The 63 province codes of the Circular's appendix (kept after the 2025 merger: IDs are never renumbered). */
const PROVINCE_CODES = new Set([
  1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42,
  44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86,
  87, 89, 91, 92, 93, 94, 95, 96,
]);

export const CCCD_WARNING_CODES = [
  'id-province-unknown',
  'id-sex-mismatch',
  'id-birth-year-mismatch',
] as const;
export type CccdWarning = (typeof CCCD_WARNING_CODES)[number];

export function isKnownProvinceCode(idNumber: string): boolean {
  return PROVINCE_CODES.has(Number(idNumber.slice(0, 3)));
}

/** What the 4th to 6th digits say: even = male, odd = female; pairs step one century from 1900. */
export function decodeBirthDigits(idNumber: string): { sex: 'Nam' | 'Nữ'; birthYear: number } {
  const code = Number(idNumber[3]);
  const century = 1900 + Math.floor(code / 2) * 100;
  return { sex: code % 2 === 0 ? 'Nam' : 'Nữ', birthYear: century + Number(idNumber.slice(4, 6)) };
}

/** Mismatches between the ID number and the other card fields (expects a valid 12-digit ID). */
export function idConsistencyWarnings(
  idNumber: string,
  sex: 'Nam' | 'Nữ',
  dateOfBirth: string,
): CccdWarning[] {
  const warnings: CccdWarning[] = [];
  if (!isKnownProvinceCode(idNumber)) warnings.push('id-province-unknown');
  const decoded = decodeBirthDigits(idNumber);
  if (decoded.sex !== sex) warnings.push('id-sex-mismatch');
  if (decoded.birthYear !== Number(dateOfBirth.slice(0, 4))) warnings.push('id-birth-year-mismatch');
  return warnings;
}
