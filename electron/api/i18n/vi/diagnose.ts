/** The diagnostics bundle (electron/services/diagnostics, `motcua diagnose`). */
export const diagnose = {
  diagnose: {
    summary: 'Tạo gói chẩn đoán cho bộ phận CNTT (không có dữ liệu cá nhân, ảnh trang hay cơ sở dữ liệu)',
    outRequired: 'Cần --out TỆP.zip: nơi lưu gói chẩn đoán.',
    written: 'Đã tạo gói chẩn đoán {file} ({size} KB). Gói không chứa dữ liệu cá nhân.',
  },
} as const;
