/** Texts of the house-rooms work (issue 16): service messages the split rooms added. */
export const rooms = {
  rooms: {
    payload: {
      /** Detail of a parked dossier whose applicant contact data cannot be read (applicant_json). */
      applicantUnreadable:
        'thông tin liên hệ của người nộp (điện thoại, email, địa chỉ) trên máy bị hỏng, không đọc được; cần cán bộ CNTT kiểm tra trước khi gửi',
    },
  },
} as const;
