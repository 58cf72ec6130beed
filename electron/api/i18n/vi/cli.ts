/** What the `motcua` command prints for IT staff. */
export const cli = {
  cli: {
    usage: 'Cách dùng: motcua <lệnh> [tùy chọn]. Gõ “motcua help” để xem các lệnh.',
    unknownCommand: 'Không có lệnh “{command}”.',
    unknownOption: 'Lệnh “{command}” không có tùy chọn “{option}”.',
    missingValue: 'Tùy chọn “{option}” cần một giá trị.',
    unexpectedArgument: 'Lệnh “{command}” không nhận tham số “{argument}”.',
    doctorTitle: 'Kiểm tra máy bàn tiếp nhận',
    levels: { ok: 'ĐẠT', warn: 'LƯU Ý', fail: 'LỖI' },
  },
  recover: {
    summary:
      'Khôi phục bàn tiếp nhận khi mất cơ sở dữ liệu mà không còn bản sao lưu (làm lại từ đầu, không cấp trùng số)',
    confirmRequired:
      'Lệnh này tạo cơ sở dữ liệu mới, trống. Hồ sơ chưa gửi lên tỉnh trên máy sẽ không còn. Nếu còn bản sao lưu, hãy khôi phục bản sao lưu thay vì chạy lệnh này (docs/SECURITY.md). Để tiếp tục, chạy lại với “--start-fresh --confirm”.',
    done: 'Đã làm lại cơ sở dữ liệu cho bàn {desk}. Số hồ sơ sẽ tiếp nối sau số đã cấp. Hãy tạo lại tài khoản quản trị viên.',
  },
  doctor: {
    files: 'Tệp hồ sơ đã lưu',
    filesOk: 'Đã kiểm tra {checked}/{total} tệp: đều nguyên vẹn (kiểm tra hết: motcua doctor --full)',
    filesBad:
      '{bad} trong {checked} tệp đã kiểm tra bị hỏng hoặc không khớp nội dung. Đừng xóa thư mục dữ liệu; hãy khôi phục thư mục files/ từ bản sao lưu (docs/SECURITY.md).',
    dataDir: 'Thư mục dữ liệu',
    database: 'Cơ sở dữ liệu',
    disk: 'Dung lượng đĩa trống',
    scanner: 'Trình điều khiển máy quét (SANE)',
    ocrData: 'Dữ liệu nhận dạng chữ tiếng Việt',
    provincial: 'Máy chủ hệ thống tỉnh',
    dataDirOk: 'Ghi được vào {path}',
    dataDirFail: 'Không ghi được vào {path}',
    databaseOk: 'Mở được, lược đồ phiên bản {version}',
    databaseFail: 'Không mở được cơ sở dữ liệu',
    diskOk: 'Còn trống {free}',
    diskLow: 'Chỉ còn {free}; nên giải phóng ổ đĩa (tối thiểu {min})',
    scannerOk: 'Tìm thấy thư viện {library}',
    scannerMissing: 'Chưa cài SANE (gói libsane1); chưa quét được',
    ocrOk: 'Có dữ liệu ngôn ngữ: {languages}',
    ocrMissing: 'Thiếu dữ liệu ngôn ngữ: {languages}',
    provincialNotConfigured: 'Chưa cấu hình; bàn vẫn làm việc ngoại tuyến',
    provincialOk: 'Kết nối được {url} ({ms} ms)',
    provincialUnreachable: 'Không kết nối được {url}: {reason}',
  },
  // The directive's "cut at least 20 % of what citizens declare": form fields the desk filled from digitized data.
} as const;
