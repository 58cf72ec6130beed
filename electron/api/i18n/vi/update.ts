/** Verified updates (electron/services/update, `motcua update`). */
export const update = {
  update: {
    errors: {
      'feed-unreachable':
        'Không tải được danh sách bản cập nhật từ {feed}; kiểm tra mạng hoặc địa chỉ máy chủ cập nhật.',
      'feed-invalid': 'Danh sách bản cập nhật không hợp lệ; báo bộ phận công nghệ thông tin.',
      'checksum-mismatch': 'Tệp cập nhật bị hỏng hoặc đã bị sửa (mã băm SHA-512 không khớp); không cài đặt.',
      'signature-missing': 'Tệp cập nhật không có chữ ký của nhà phát hành; không cài đặt.',
      'signature-invalid': 'Chữ ký của tệp cập nhật không hợp lệ; không cài đặt.',
      downgrade:
        'Bản {feedVersion} cũ hơn bản đang chạy ({currentVersion}); chỉ cài bản cũ hơn khi chính sách của máy cho phép quay lại.',
      'file-unreadable': 'Không đọc được tệp cập nhật.',
    },
    upToDate: 'Đang chạy bản mới nhất ({version}).',
    available:
      'Có bản {version} (đang chạy {current}), chữ ký hợp lệ. Bản cập nhật sẽ được cài khi đóng phần mềm hoặc vào giờ bộ phận CNTT đặt.',
    rollbackAvailable: 'Chính sách cho phép quay lại bản {version} (đang chạy {current}); chữ ký hợp lệ.',
    notInRollout: 'Bản {version} đang được phát hành dần ({percent}% số bàn); bàn này chưa đến lượt.',
    noFeed: 'Chưa cấu hình địa chỉ cập nhật (update.feedUrls) và không có --feed.',
    verified: 'Tệp {file} hợp lệ: bản {version}, SHA-512 và chữ ký đúng.',
    checkSummary: 'Kiểm tra bản cập nhật (chữ ký, SHA-512, phát hành dần)',
    verifySummary: 'Kiểm tra một tệp cài đặt (SHA-512 và chữ ký) trước khi chạy',
  },
} as const;
