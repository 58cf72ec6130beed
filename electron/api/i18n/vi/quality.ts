/** Service quality (Decision 766): the report, its CLI, ratings, results and tracking (issue 15). */
export const quality = {
  quality: {
    errors: {
      'unknown-formula-set': 'Không có bộ công thức “{id}”. Các bộ hiện có: {known}.',
      'no-formula-set': 'Không có bộ công thức nào áp dụng cho kỳ này.',
      'bad-period':
        'Kỳ báo cáo “{value}” không hợp lệ: dùng năm (2026), quý (2026-Q3), tháng (2026-08) hoặc --from/--to.',
      'bad-range': 'Ngày bắt đầu {from} sau ngày kết thúc {to}.',
      'range-too-long': 'Kỳ báo cáo dài quá {max} ngày.',
      'not-own-figures': 'Cán bộ chỉ xem được số liệu của chính mình.',
      'dossier-not-found': 'Không tìm thấy hồ sơ {code}.',
      'not-received': 'Hồ sơ {code} chưa được tiếp nhận nên chưa đánh giá hay trả kết quả được.',
      'already-rated': 'Hồ sơ này đã được đánh giá ở bước này rồi. Cảm ơn Ông/Bà.',
      'already-returned': 'Kết quả của hồ sơ {code} đã được trả lúc {at}.',
      'bad-result-file': 'Tệp kết quả phải là PDF hoặc ảnh, không rỗng và không quá {maxMb} MB.',
      'reasons-need-dissatisfied': 'Chỉ chọn lý do khi đánh giá “Chưa hài lòng”.',
    },
    indicatorNames: {
      '1.4': 'Hồ sơ đồng bộ lên Cổng DVCQG',
      '2.1': 'Hồ sơ giải quyết trước hạn, đúng hạn',
      '2.2': 'Thời gian giải quyết trung bình',
      '4.1': 'Kết quả điện tử',
      '4.2': 'Số hóa hồ sơ',
      '4.3': 'Sử dụng lại dữ liệu số hóa',
      '4.4': 'Lấy giấy tờ từ kho dữ liệu của công dân',
      '4.5b': 'Kết nối dữ liệu dân cư',
      '5.4': 'Hài lòng về tiếp nhận, giải quyết',
    },
    cli: {
      summary: 'Ước tính các chỉ số Quyết định 766 của bàn tiếp nhận (theo ngày tiếp nhận hồ sơ)',
      badDate: '{flag} phải là ngày dạng năm-tháng-ngày, ví dụ 2026-11-01.',
      header: 'Kỳ {from} đến {to} · {dossiers} hồ sơ · bộ công thức {set} ({title})',
      line: '{code} {name}: {numerator}/{denominator} = {ratio} → {points}',
      averageLine: '{code} {name}: {ratio} ngày trung bình ({denominator} hồ sơ đã giải quyết)',
      notScored: 'không chấm',
      noData: 'chưa có dữ liệu',
      pointsOf: '{points}/{max} điểm',
      localNote: '  (gồm {count} đánh giá “Chưa hài lòng” tại quầy: cảnh báo sớm, số liệu tại chỗ)',
      total: 'Tổng: {points}/{max} điểm (chỉ các chỉ số bàn tiếp nhận tác động được)',
    },
  },
} as const;
