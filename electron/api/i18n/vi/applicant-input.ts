/**
 * What the clerk reads when a citizen's name, address or other text is refused, from an ID-card QR or typed
 * into the reception form. `{field}` is the field's name (with "trong mã QR" when it came from a card).
 */
export const applicantInput = {
  applicantInput: {
    fields: {
      fullName: 'Họ và tên',
      idNumber: 'Số định danh cá nhân',
      dateOfBirth: 'Ngày sinh',
      sex: 'Giới tính',
      address: 'Địa chỉ',
      phone: 'Số điện thoại',
      email: 'Thư điện tử',
    },
    cardFields: {
      fullName: 'Họ và tên trong mã QR',
      idNumber: 'Số định danh cá nhân trong mã QR',
      dateOfBirth: 'Ngày sinh trong mã QR',
      sex: 'Giới tính trong mã QR',
      address: 'Nơi cư trú trong mã QR',
      phone: 'Số điện thoại trong mã QR',
      email: 'Thư điện tử trong mã QR',
    },
    problems: {
      empty: '{field} không được để trống.',
      'too-long': '{field} quá dài (tối đa {max} ký tự).',
      'no-letter': '{field} phải có ít nhất một chữ cái.',
      'name-characters': "{field} chỉ được gồm chữ cái, dấu cách, dấu nháy (') và dấu gạch nối (-).",
      bidi: '{field} có ký tự ẩn làm đảo chiều chữ, không hợp lệ.',
      control: '{field} có ký tự điều khiển hoặc ký tự ẩn, không hợp lệ.',
      markup: '{field} có dấu “<” hoặc “>” (mã HTML), không hợp lệ.',
    },
    /** Added after a refusal of card data: the card itself is not trusted blindly. */
    cardHint: 'Hãy đối chiếu với thẻ căn cước; nếu thẻ đúng, hãy nhập tay thông tin này.',
    /** Defaults of the extract error codes this file adds (the specific message above is shown when known). */
    cardErrors: {
      'address-empty': 'Mã QR không có nơi cư trú.',
      'address-invalid': 'Nơi cư trú trong mã QR có ký tự không hợp lệ.',
    },
  },
} as const;
