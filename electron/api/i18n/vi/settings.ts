/** Settings and machine policy (electron/services/settings, `motcua settings`). */
export const settings = {
  settings: {
    locked:
      'Cài đặt “{key}” do bộ phận công nghệ thông tin quản lý (chính sách của máy), không đổi được tại bàn.',
    invalid: 'Giá trị không hợp lệ cho “{key}”: {reason}',
    unknownKey: 'Không có cài đặt “{key}”.',
    policyInvalid: 'Tệp chính sách của máy ({file}) không hợp lệ: {detail}',
    saved: 'Đã lưu “{key}” = {value}. Khởi động lại phần mềm để áp dụng.',
    secretHidden: '[ẩn]',
    sources: {
      'policy-locked': 'chính sách (khóa)',
      desk: 'bàn này',
      'policy-default': 'chính sách (mặc định)',
      'built-in': 'mặc định',
    },
    getSummary: 'Xem cài đặt của bàn và nguồn của từng giá trị (chính sách, bàn này, mặc định)',
    setSummary: 'Đổi một cài đặt của bàn (trừ cài đặt do chính sách của máy khóa)',
  },
} as const;
