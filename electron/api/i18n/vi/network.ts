/** The way to the provincial server: proxy, extra CA certificates, pinning (`motcua doctor`). */
export const network = {
  network: {
    label: 'Đường mạng tới máy chủ tỉnh',
    ok: 'Thông suốt ({steps}, {ms} ms)',
    steps: {
      dns: 'phân giải tên miền (DNS)',
      connect: 'kết nối tới máy chủ',
      'tls-chain': 'chuỗi chứng thư TLS',
      pin: 'khóa công khai được ghim',
    },
    failed: 'Lỗi ở bước “{step}”: {detail}',
    caUnreadable: 'Không đọc được tệp chứng thư CA bổ sung: {files}',
  },
} as const;
