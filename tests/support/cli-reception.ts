/** The chip ID card QR every CLI reliability test receives a birth registration for. */
export const BIRTH_APPLICANT_QR =
  '038192004517||Lê Thị Hồng Nhung|15031992|Nữ|Thôn Đông Hải, Quảng Phú, Thanh Hóa|12082021';

/**
 * `motcua receive` of a birth registration (1.001193) from the libsane test ADF at 75 dpi, its 10 pages split
 * 4,3,3 over the three scanned components, signed in as `clerkId`, the receipt written to `out`, JSON answer.
 */
export function birthReceptionArgs(clerkId: string, out: string, qr = BIRTH_APPLICANT_QR): string[] {
  return [
    'receive',
    '--procedure',
    '1.001193',
    '--scan-device',
    'test:0',
    '--resolution',
    '75',
    '--applicant-qr',
    qr,
    '--clerk',
    clerkId,
    '--pages-per-component',
    '4,3,3',
    '--out',
    out,
    '--json',
  ];
}
