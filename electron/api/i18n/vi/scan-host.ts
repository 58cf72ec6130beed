/** Texts of the scanner host process: the driver stopped answering, or its process ended. */
export const scanHost = {
  scanHost: {
    /** Merged with `scan.errors` (see services/scan/errors.ts): the same key space. */
    errors: {
      'scanner-not-responding':
        'Máy quét ngừng phản hồi nên phần mềm đã khởi động lại trình điều khiển máy quét. Các trang đã quét vẫn được giữ. Kiểm tra máy quét (giấy kẹt, dây cáp, nguồn điện), rồi bấm “Quét tiếp” để quét từ trang tiếp theo.',
      'scanner-host-stopped':
        'Trình điều khiển máy quét bị dừng đột ngột. Các trang đã quét vẫn được giữ. Bấm “Quét tiếp” để quét từ trang tiếp theo; nếu lỗi lặp lại, hãy tắt máy quét, bật lại rồi thử lại.',
    },
  },
} as const;
