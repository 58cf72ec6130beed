/** The call gate at every front door (issue #16): sign-in at the CLI, IT accounts, printing through the desk. */
export const gate = {
  gate: {
    clerkWorkOnly:
      'Tài khoản CNTT không được xem hay xử lý hồ sơ của công dân. Hãy đăng nhập bằng tài khoản cán bộ tiếp nhận.',
    itWorkOnly: 'Việc này chỉ dành cho tài khoản CNTT hoặc quản trị viên.',
    signInRequired:
      'Lệnh “{command}” cần đăng nhập: thêm --clerk MÃ_HOẶC_TÊN và đặt mã PIN trong biến môi trường MOTCUA_CLERK_PIN.',
    signInUsage: 'Cần đăng nhập: --clerk MÃ_HOẶC_TÊN, với mã PIN trong biến môi trường MOTCUA_CLERK_PIN.',
    pinMissing: 'Thiếu mã PIN: đặt mã PIN của tài khoản “{clerk}” trong biến môi trường MOTCUA_CLERK_PIN.',
    unknownClerk: 'Không có tài khoản nào có mã hoặc tên “{clerk}”.',
    ambiguousClerk: 'Có nhiều tài khoản tên “{clerk}”: hãy dùng mã tài khoản ({ids}).',
    firstAccountAdmin: 'Chưa có tài khoản nào: tài khoản đầu tiên phải là quản trị viên (--role admin).',
    newPinMissing:
      'Thiếu mã PIN của tài khoản mới: đưa qua stdin hoặc biến môi trường MOTCUA_NEW_CLERK_PIN (4–8 chữ số).',
    roleInvalid: '--role phải là clerk, admin hoặc it.',
    roles: { clerk: 'cán bộ tiếp nhận', admin: 'quản trị viên', it: 'cán bộ CNTT' },
    scanNotFinished:
      'Máy quét chưa trả hết trang sau {seconds} giây; lô quét được giữ lại, có thể quét tiếp.',
    rotateFromApp:
      'Máy này giữ khóa dữ liệu bằng tài khoản hệ điều hành: hãy đổi khóa từ phần mềm, không từ dòng lệnh.',
    printFailed: 'Không in được. Giấy tờ vẫn được lưu: có thể in lại hoặc tải về.',
  },
} as const;
