/** The sync panel's retry line, and the provincial server address override (environment). */
export const syncBackoff = {
  syncBackoff: {
    /** Shown while the engine waits before its next attempt after failures. */
    retryIn: 'Thử lại sau {seconds} giây (lúc {time}), lần thử thứ {attempt}.',
    retryAt: 'Lần thử tiếp theo lúc {time}.',
    waiting:
      'Đang chờ hệ thống tỉnh trả lời; mỗi lần thử dừng sau tối đa {seconds} giây nếu không có trả lời.',
    urlOverrideInvalid:
      'Biến môi trường MOTCUA_PROVINCIAL_URL có giá trị không dùng được (“{value}”): phải là địa chỉ web đầy đủ bắt đầu bằng https://, ví dụ https://motcua.tinh.gov.vn (http:// chỉ dùng cho máy chủ thử trên chính máy này). Hãy sửa hoặc bỏ biến này rồi chạy lại.',
  },
} as const;
