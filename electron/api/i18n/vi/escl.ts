/** Texts of network scanners reached over eSCL (AirScan): the errors only they have. */
export const escl = {
  escl: {
    /** Merged with `scan.errors` by the scan service (see services/scan/errors.ts): same keys space. */
    errors: {
      'escl-not-answering':
        'Máy quét mạng ngừng phản hồi giữa chừng. Các trang đã quét vẫn được giữ. Kiểm tra máy quét còn bật và còn nối mạng, rồi bấm “Quét tiếp”.',
      'escl-unreachable':
        'Không kết nối được với máy quét qua mạng. Kiểm tra máy quét đã bật, cùng mạng với máy tính, và địa chỉ nhập đúng.',
      'escl-certificate-changed':
        'Chứng chỉ bảo mật của máy quét mạng đã thay đổi so với lần kết nối trước, nên phần mềm không gửi dữ liệu tới máy này. Nếu máy quét vừa được cài đặt lại hoặc thay mới, hãy báo cán bộ CNTT xác nhận rồi thử lại.',
      'escl-cancelled-at-device':
        'Lô quét đã bị dừng ngay trên máy quét (có người bấm nút Dừng trên máy). Các trang đã quét vẫn được giữ — bấm “Quét tiếp” để quét tiếp.',
      'escl-double-feed':
        'Máy quét kéo hai tờ cùng lúc hoặc không kéo được giấy. Lấy giấy ra, vuốt cho các tờ rời nhau rồi đặt lại vào khay và bấm “Quét tiếp”. Các trang đã quét vẫn được giữ.',
      'escl-paper-size':
        'Tờ giấy vừa quét có khổ không khớp với khổ đã chọn (quá ngắn hoặc quá dài). Kiểm tra khổ giấy rồi bấm “Quét tiếp”. Các trang đã quét vẫn được giữ.',
      'escl-tray-problem':
        'Khay nạp giấy của máy quét báo lỗi (quá nhiều giấy hoặc khay hỏng). Bớt giấy trong khay, đặt lại cho thẳng rồi bấm “Quét tiếp”.',
      'escl-protocol':
        'Máy quét mạng trả lời không đúng chuẩn eSCL. Tắt máy quét, bật lại rồi thử lại; nếu vẫn lỗi, hãy báo cán bộ CNTT.',
      'escl-bad-address':
        'Địa chỉ máy quét mạng không hợp lệ. Nhập dạng http://192.168.1.20/eSCL hoặc chỉ địa chỉ IP của máy.',
    },
  },
} as const;
