/** The sync panel's retry line, and the provincial server address override (environment). */
export const syncBackoff = {
  syncBackoff: {
    /** While the engine backs off after a failed attempt (counts down each second). */
    retryIn: 'Tự thử lại sau {seconds} giây (lúc {time}).',
    /** The wait is over and the attempt is about to start. */
    retryNow: 'Đang thử lại…',
    urlOverrideInvalid:
      'Biến môi trường MOTCUA_PROVINCIAL_URL có giá trị không dùng được (“{value}”): phải là địa chỉ web đầy đủ bắt đầu bằng https://, ví dụ https://motcua.tinh.gov.vn (http:// chỉ dùng cho máy chủ thử trên chính máy này). Hãy sửa hoặc bỏ biến này rồi chạy lại.',
  },
} as const;
