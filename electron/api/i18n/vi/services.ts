/** Messages the services raise for the clerk (errors, progress), shared by every front door. */
export const services = {
  scan: {
    // Clerk-facing device errors: what happened, then what to do. Pages already scanned are never lost.
    errors: {
      'no-scanner':
        'Không tìm thấy máy quét nào. Kiểm tra máy quét đã bật và cáp USB/mạng đã cắm chắc, rồi bấm “Tìm lại”.',
      'driver-missing': 'Máy tính chưa cài trình điều khiển máy quét (SANE). Hãy báo cán bộ CNTT cài đặt.',
      jammed:
        'Kẹt giấy trong khay nạp. Mở nắp máy quét, gỡ tờ bị kẹt, vuốt phẳng rồi đặt lại vào khay. Các trang đã quét vẫn được giữ — bấm “Quét tiếp”.',
      'cover-open': 'Nắp máy quét đang mở. Đóng nắp lại rồi bấm “Quét tiếp”. Các trang đã quét vẫn được giữ.',
      'feeder-empty':
        'Khay nạp giấy đang trống. Đặt hồ sơ vào khay nạp (mặt cần quét theo hình trên máy) rồi bấm “Quét”.',
      busy: 'Máy quét đang bận (có thể máy tính khác đang dùng). Chờ một lát rồi thử lại.',
      disconnected:
        'Mất kết nối với máy quét hoặc máy quét không phản hồi. Kiểm tra nguồn điện và cáp, chờ máy khởi động xong rồi bấm “Tìm lại”.',
      'io-error':
        'Lỗi truyền dữ liệu giữa máy tính và máy quét. Tắt máy quét, bật lại, kiểm tra cáp rồi bấm “Quét tiếp”. Các trang đã quét vẫn được giữ.',
      'access-denied': 'Tài khoản máy tính không có quyền dùng máy quét này. Hãy báo cán bộ CNTT cấp quyền.',
      'out-of-memory': 'Không đủ bộ nhớ để quét. Giảm độ phân giải hoặc đóng bớt chương trình rồi thử lại.',
      'unsupported-setting': 'Máy quét không hỗ trợ thiết lập đã chọn ({detail}). Hãy chọn thiết lập khác.',
      cancelled: 'Đã dừng quét. Các trang đã quét vẫn được giữ.',
      'device-failed': 'Máy quét báo lỗi ({detail}). Tắt máy quét, bật lại rồi thử lại.',
      storage:
        'Không ghi được trang vừa quét vào ổ đĩa. Hãy báo cán bộ CNTT kiểm tra ổ đĩa; các trang đã lưu trước đó vẫn được giữ.',
    },
    sources: { flatbed: 'Mặt kính', adf: 'Khay nạp tự động', duplex: 'Khay nạp hai mặt' },
    modes: { color: 'Màu', gray: 'Xám', bw: 'Đen trắng' },
    cli: {
      scannersTitle: 'Máy quét tìm thấy',
      scannerLine: '{id} — {vendor} {model} ({type})',
      capabilities:
        'nguồn giấy: {sources}; chế độ: {modes}; độ phân giải: {resolutions} dpi; khổ giấy: {sizes}',
      deviceRequired: 'Cần chọn máy quét: --device TÊN (xem “motcua scanners”).',
      badSource: 'Nguồn giấy “{value}” không hợp lệ; chọn flatbed, adf hoặc duplex.',
      badMode: 'Chế độ màu “{value}” không hợp lệ; chọn color, gray hoặc bw.',
      badResolution: 'Độ phân giải “{value}” không hợp lệ; nhập số dpi, ví dụ 300.',
      badPageSize: 'Khổ giấy “{value}” không hợp lệ; chọn A4, A5 hoặc Letter.',
      unknownProfile: 'Không có cấu hình quét “{name}” cho máy {vendor} {model}.',
      pageStored: 'Đã lưu trang {page}: {width}×{height}, {kb} KB',
      batchDone: 'Đã quét {pages} trang vào lô {batch}.',
      batchStopped: 'Lô {batch} dừng sau {pages} trang.',
      pdfWritten: 'Đã ghi tệp PDF {path} ({kb} KB).',
      profileSaved: 'Đã lưu cấu hình quét “{name}” cho máy {vendor} {model}.',
    },
  },
  imaging: {
    notAnImage:
      'Tệp này không phải ảnh đọc được (chỉ nhận ảnh PNG, JPEG hoặc TIFF). Tệp gốc vẫn được giữ nguyên.',
    unsupportedFormat:
      'Ảnh định dạng {format} chưa được hỗ trợ. Hãy lưu lại thành PNG, JPEG hoặc TIFF rồi nhập lại.',
    multiPage:
      'Tệp TIFF này có {pages} trang; hãy nhập bằng chức năng nhập nhiều trang để không sót trang nào.',
    tooLarge: 'Ảnh quá lớn để xử lý ({width}×{height} điểm ảnh). Hãy quét lại với độ phân giải thấp hơn.',
    noPages: 'Không có trang nào để ghép thành tệp PDF.',
    separatorTitle: 'TỜ PHÂN CÁCH THÀNH PHẦN HỒ SƠ',
    separatorInstructions: 'Đặt tờ này giữa hai thành phần hồ sơ khi quét.',
    separatorEffect: 'Máy sẽ tự tách thành phần và không lưu tờ này vào hồ sơ.',
    separatorCare: 'Dùng lại nhiều lần. Không viết, không đóng dấu, không gập lên mã.',
  },
  ocr: {
    // Clerk-facing OCR messages: what happened and what to do; the page images are never deleted.
    errors: {
      'file-missing': 'Không tìm thấy tệp “{file}”.',
      'file-empty': 'Tệp “{file}” rỗng (0 byte), không có ảnh để nhận dạng.',
      'file-unreadable': 'Không đọc được tệp “{file}”. Kiểm tra quyền truy cập tệp rồi thử lại.',
      'page-missing': 'Không tìm thấy ảnh của trang {page} trên máy. Hãy quét lại trang này.',
      'page-changed': 'Ảnh của trang {page} đã bị thay đổi hoặc hỏng sau khi lưu. Hãy quét lại trang này.',
      'engine-failed':
        'Bộ nhận dạng chữ gặp lỗi khi đọc trang {page} (đã thử {attempts} lần). Hãy quét lại trang rõ hơn hoặc báo cán bộ CNTT.',
      timeout:
        'Trang {page} mất quá nhiều thời gian để nhận dạng chữ (đã thử {attempts} lần). Hãy quét lại trang rõ hơn.',
      'no-language-data': 'Thiếu dữ liệu nhận dạng chữ ({languages}). Hãy báo cán bộ CNTT cài lại phần mềm.',
      'pool-closed': 'Bộ nhận dạng chữ đã tắt. Hãy mở lại chức năng rồi thử lại.',
    },
    cli: {
      fileFailed: '{file}: {reason}',
      fileDone: '{file}: độ tin cậy {confidence}%, {words} từ, {ms} ms',
      pdfWritten: 'Đã ghi tệp PDF tìm kiếm được: {path}',
      pdfFailed: 'Không ghi được tệp PDF {path}.',
      someFailed: '{count}/{total} tệp không nhận dạng được.',
    },
  },
  extract: {
    errors: {
      empty: 'Chưa nhận được dữ liệu mã QR. Hãy quét lại mã QR trên thẻ căn cước.',
      'too-long': 'Dữ liệu quét được quá dài, không phải mã QR của thẻ căn cước.',
      garbled: 'Dữ liệu quét bị lỗi (lẫn ký tự điều khiển). Hãy quét lại mã QR một lần.',
      'field-count': 'Mã QR thiếu thông tin: có {count} trường, cần ít nhất 7. Hãy quét lại.',
      'id-number': 'Số định danh cá nhân phải gồm đúng 12 chữ số.',
      'old-id-number': 'Số CMND cũ phải gồm đúng 9 chữ số hoặc để trống.',
      'name-empty': 'Mã QR không có họ và tên.',
      'name-invalid': 'Họ và tên trong mã QR có chữ số, không hợp lệ.',
      'dob-format': 'Ngày sinh phải gồm 8 chữ số theo dạng ngày tháng năm (ddmmyyyy).',
      'dob-invalid': 'Ngày sinh không có thật trên lịch.',
      'dob-future': 'Ngày sinh ở sau ngày hôm nay.',
      'dob-after-issue': 'Ngày sinh ở sau ngày cấp thẻ.',
      sex: 'Giới tính phải là “Nam” hoặc “Nữ”.',
      'issue-date-format': 'Ngày cấp thẻ phải gồm 8 chữ số theo dạng ngày tháng năm (ddmmyyyy).',
      'issue-date-invalid': 'Ngày cấp thẻ không có thật trên lịch.',
      'issue-date-future': 'Ngày cấp thẻ ở sau ngày hôm nay.',
      'image-unreadable': 'Không đọc được tệp ảnh. Hãy chụp hoặc quét lại thẻ.',
      'image-unsupported': 'Chỉ nhận ảnh PNG hoặc JPEG (tệp này có dạng {format}).',
      'qr-not-found':
        'Không tìm thấy mã QR trong ảnh. Hãy chụp lại gần hơn, đủ sáng, để mã QR rõ nét trong khung hình.',
      'qr-not-text': 'Mã QR trong ảnh không chứa văn bản UTF-8, không phải mã QR của thẻ căn cước.',
    },
    warnings: {
      'id-province-unknown': 'Ba số đầu của số định danh không phải mã tỉnh đã biết; hãy đối chiếu thẻ.',
      'id-sex-mismatch': 'Chữ số thứ tư của số định danh không khớp giới tính; hãy đối chiếu thẻ.',
      'id-birth-year-mismatch':
        'Chữ số thứ tư đến thứ sáu của số định danh không khớp năm sinh; hãy đối chiếu thẻ.',
    },
    card: {
      idNumber: 'Số định danh cá nhân',
      oldIdNumber: 'Số CMND cũ',
      fullName: 'Họ và tên',
      dateOfBirth: 'Ngày sinh',
      sex: 'Giới tính',
      address: 'Nơi cư trú',
      issueDate: 'Ngày cấp',
      extraFieldCount: 'Số trường bổ sung',
    },
    fields: {
      idNumber: 'Số định danh cá nhân',
      oldIdNumber: 'Số CMND',
      fullName: 'Họ và tên',
      dateOfBirth: 'Ngày sinh',
      birthYear: 'Năm sinh',
      documentNumber: 'Số văn bản',
      issueDate: 'Ngày ban hành',
      issuingBody: 'Cơ quan ban hành',
    },
    none: '(không có)',
    cli: {
      parseSummary: 'Đọc dữ liệu mã QR thẻ căn cước (chuỗi do đầu đọc gõ vào; “-” để đọc từ đầu vào chuẩn)',
      readSummary: 'Tìm và đọc mã QR thẻ căn cước trong ảnh chụp hoặc ảnh quét (PNG, JPEG)',
      parseTitle: 'Thông tin từ mã QR thẻ căn cước',
      warningsTitle: 'Cần đối chiếu:',
      fileNotFound: 'Không mở được tệp “{path}”.',
    },
  },
  calendar: {
    invalidDate: 'Ngày “{value}” không hợp lệ. Hãy nhập theo dạng năm-tháng-ngày, ví dụ 2026-08-22.',
    invalidDateTime:
      'Thời điểm “{value}” không hợp lệ. Hãy nhập theo dạng 2026-08-21T16:45 (giờ Việt Nam) hoặc kèm múi giờ.',
    yearOutOfRange: 'Năm {year} nằm ngoài phạm vi lịch hỗ trợ ({min}–{max}).',
    invalidLunarDate: 'Ngày âm lịch “{value}” không hợp lệ (tháng từ 1 đến 12, ngày từ 1 đến 30).',
    noLeapMonthInYear: 'Năm âm lịch {year} không có tháng nhuận, nên không có tháng {month} nhuận.',
    wrongLeapMonth:
      'Năm âm lịch {year} không có tháng {month} nhuận; tháng nhuận của năm này là tháng {leapMonth}.',
    lunarMonthTooShort: 'Không có ngày âm lịch {value}: tháng này chỉ có {length} ngày.',
    leapSuffix: 'nhuận',
    invalidAmount: 'Thời hạn giải quyết “{value}” không hợp lệ: phải là một số lớn hơn 0.',
    amountNotInteger: 'Thời hạn tính theo ngày phải là số nguyên (nhận được “{value}”).',
    amountTooLarge: 'Thời hạn giải quyết “{value}” quá dài ({max} {unit} là tối đa).',
    invalidUnit:
      'Đơn vị thời hạn “{value}” không hợp lệ. Dùng: working-days (ngày làm việc), days (ngày), hours (giờ làm việc).',
    noRulesForYear: 'Chưa có dữ liệu ngày nghỉ lễ áp dụng cho năm {year}.',
    invalidOfficeHours: 'Giờ làm việc cấu hình không hợp lệ: {detail}',
    invalidDataFile: 'Tệp dữ liệu lịch “{file}” không hợp lệ, chưa áp dụng: {detail}',
    invalidOfficialTable: 'Lịch nghỉ chính thức nhận được không hợp lệ, chưa áp dụng: {detail}',
    weekend: 'Nghỉ hằng tuần ({weekday})',
    compensation: 'Nghỉ bù {name}',
    workingWeekend: 'Làm việc bù ({name})',
    weekdays: ['', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy', 'Chủ nhật'],
    units: { 'working-days': 'ngày làm việc', days: 'ngày', hours: 'giờ làm việc' },
    cli: {
      received: 'Tiếp nhận',
      amount: 'Thời hạn',
      due: 'Hẹn trả',
      solar: 'Dương lịch',
      lunar: 'Âm lịch',
      lunarDate: 'ngày {day} tháng {month}{leap} năm {year}',
      leapMonth: ' nhuận',
      workingDay: 'ngày làm việc',
      dayOff: 'ngày nghỉ: {reason}',
    },
  },
  reception: {
    catalog: {
      invalidFeed: 'Danh mục thủ tục hành chính nhận được không hợp lệ, chưa áp dụng: {detail}',
      invalidDate: 'Ngày “{value}” không hợp lệ. Hãy nhập theo dạng năm-tháng-ngày, ví dụ 2026-05-22.',
      notFound: 'Không có thủ tục mã {code} áp dụng vào ngày {date} trong danh mục của bàn.',
    },
    codes: {
      invalidAgency:
        'Mã định danh cơ quan “{value}” không hợp lệ (ví dụ đúng: 000.17.22.H56). Hãy báo cán bộ CNTT kiểm tra cấu hình.',
      invalidSlot:
        'Số thứ tự bàn {slot} trên {slots} bàn không hợp lệ: mỗi cơ quan có tối đa 10 bàn, đánh số từ 0.',
      alreadyEnrolled:
        'Bàn này đã được ghi danh là bàn số {slot} của cơ quan; muốn đổi số bàn hãy báo cán bộ CNTT của tỉnh.',
      invalidRange:
        'Dải số hồ sơ {first}–{last} không hợp lệ (số từ 1 đến 9999, số đầu không lớn hơn số cuối).',
      rangeOverlap: 'Dải số hồ sơ {first}–{last} trùng với dải số bàn này đã có, không nhận.',
      noRange:
        'Bàn này chưa được cấp dải số hồ sơ của cơ quan {agency}. Hãy báo cán bộ CNTT ghi danh bàn tiếp nhận, hoặc kết nối mạng để nhận dải số.',
      rangeExhausted:
        'Bàn này đã dùng hết dải số hồ sơ của ngày {date}. Hãy kết nối mạng để đồng bộ nhận thêm dải số hoặc báo cán bộ CNTT. Không có mã nào bị cấp trùng.',
      voidReasonRequired: 'Hãy ghi rõ lý do hủy mã hồ sơ {code}.',
      unknownCode: 'Bàn này chưa từng cấp mã hồ sơ {code}.',
      alreadyVoided: 'Mã hồ sơ {code} đã được hủy trước đó.',
      unparsable:
        '“{value}” không phải mã hồ sơ hợp lệ (dạng mã cơ quan-YYMMDD-NNNN, ví dụ 000.17.22.H56-210531-0001).',
    },
    audit: {
      invalidEntry: 'Không ghi được nhật ký thao tác: {detail}',
      personalData:
        'Nhật ký thao tác chỉ ghi mã và số lượng, không ghi dữ liệu cá nhân (trường “{field}” có dạng số giấy tờ).',
      reasons: {
        content: 'nội dung bản ghi đã bị sửa',
        link: 'bản ghi đứng trước đã bị xóa hoặc đổi thứ tự',
        gap: 'thiếu bản ghi số {expected}',
        truncated: 'các bản ghi mới nhất (từ số {expected}) đã bị xóa',
      },
      cli: {
        summary: 'Kiểm tra tính toàn vẹn của nhật ký thao tác (chuỗi mã băm)',
        ok: 'Nhật ký thao tác nguyên vẹn: {count} bản ghi, mã băm cuối {hash}.',
        empty: 'Nhật ký thao tác chưa có bản ghi nào.',
        broken: 'Nhật ký thao tác đã bị can thiệp tại bản ghi số {seq} (mã {id}): {reason}.',
      },
    },
    forms: {
      invalidInput: 'Chưa in được phiếu: {detail}',
      noTemplate: 'Chưa có mẫu phiếu “{form}” áp dụng vào ngày {date}.',
      invalidTemplate: 'Mẫu phiếu “{file}” không hợp lệ, chưa dùng được: {detail}',
      unknownComponent:
        'Giấy tờ “{item}” không có trong thành phần hồ sơ của thủ tục {procedure}; chỉ được yêu cầu bổ sung giấy tờ có trong danh mục.',
      noItems: 'Phiếu yêu cầu bổ sung phải nêu ít nhất một giấy tờ cần bổ sung.',
      duplicateItem: 'Giấy tờ “{item}” được nêu hai lần trong phiếu yêu cầu bổ sung; hãy gộp lại.',
      reasonRequired: 'Hãy ghi rõ lý do cụ thể.',
      repeatedSupplement:
        'Đây là lần yêu cầu bổ sung thứ {ordinal} của hồ sơ {code}: theo Quyết định 766/QĐ-TTg hồ sơ bị tính là quá hạn. Nên nêu đủ mọi giấy tờ cần bổ sung trong một phiếu.',
    },
    clerks: {
      pinFormat: 'Mã PIN phải gồm từ 4 đến 8 chữ số.',
      wrongPin: 'Mã PIN không đúng. Còn {left} lần thử.',
      lockedOut: 'Đã nhập sai mã PIN quá nhiều lần. Tài khoản tạm khóa đến {until}.',
      tooSoon: 'Vừa có một lần nhập mã PIN. Vui lòng đợi {seconds} giây rồi thử lại.',
      unknownClerk: 'Không tìm thấy cán bộ này trong danh sách của bàn.',
      setupDone: 'Bàn này đã có quản trị viên. Hãy đăng nhập bằng tài khoản đã có.',
      nameInvalid: 'Họ tên cán bộ không được để trống và không chứa ký tự điều khiển.',
      notSignedIn: 'Hãy đăng nhập bằng tài khoản cán bộ trước khi làm việc.',
      sessionLocked: 'Phiên làm việc đã tạm khóa do lâu không thao tác. Hãy nhập lại mã PIN.',
      adminOnly: 'Chỉ quản trị viên của bàn mới làm được thao tác này.',
    },
    workflow: {
      dossierNotFound: 'Không tìm thấy hồ sơ này trên bàn tiếp nhận.',
      notReceptionDossier: 'Hồ sơ này không được lập qua màn hình tiếp nhận nên không mở được ở đây.',
      notDraft: 'Hồ sơ {code} đã được tiếp nhận hoặc đã xử lý; không thay đổi thành phần được nữa.',
      alreadyClosed: 'Hồ sơ {code} đã bị từ chối; không thực hiện được thao tác này.',
      unknownComponent: 'Thủ tục này không có thành phần hồ sơ “{code}”.',
      invalidIdNumber: 'Số giấy tờ tùy thân phải là số CCCD 12 chữ số hoặc CMND 9 chữ số.',
      batchNotFound: 'Không tìm thấy lô quét này. Hãy quét lại giấy tờ.',
      batchScanning: 'Lô quét vẫn đang quét. Hãy chờ quét xong rồi gắn vào hồ sơ.',
      emptyBatch: 'Lô quét không còn trang nào sau khi bỏ trang trắng và tờ phân cách. Hãy quét lại.',
      documentNotFound:
        'Không tìm thấy giấy tờ đã số hóa này cho công dân và thành phần hồ sơ đã chọn. Hãy quét bản giấy.',
      provinceUnavailable:
        'Chưa lấy được giấy tờ từ kho dữ liệu của tỉnh (mất mạng hoặc máy chủ bận). Hãy thử lại hoặc quét bản giấy.',
      missingRequired:
        'Còn thiếu thành phần bắt buộc: {items}. Hãy quét hoặc dùng lại giấy tờ đã số hóa trước khi tiếp nhận.',
      formNotFound: 'Hồ sơ này chưa có phiếu “{form}”.',
      formNames: {
        receipt: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả',
        supplement: 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ',
        refusal: 'Phiếu từ chối tiếp nhận hồ sơ',
      },
      collectAt: 'Bộ phận Một cửa — {agency}',
      officerTitle: 'Công chức tiếp nhận hồ sơ',
      supplementReason: 'Hồ sơ chưa đầy đủ, chưa hợp lệ theo quy định của thủ tục.',
      reusedTitle: '{component} (bản số hóa của hồ sơ {code})',
    },
    cli: {
      receiveSummary:
        'Tiếp nhận một hồ sơ không cần giao diện: quét khay nạp vào các thành phần, cấp mã, ghi giấy tiếp nhận (PDF)',
      clerkAddSummary:
        'Thêm cán bộ tiếp nhận hoặc quản trị viên (mã PIN lấy từ biến MOTCUA_CLERK_PIN hoặc stdin)',
      procedureRequired: 'Thiếu --procedure (mã thủ tục, ví dụ 1.001193).',
      applicantRequired: 'Thiếu --applicant-qr (nội dung mã QR trên thẻ CCCD của người nộp).',
      deviceRequired: 'Thiếu --scan-device (tên máy quét, xem “motcua scanners”).',
      badPagesPerComponent:
        '--pages-per-component phải là các số nguyên dương cách nhau bằng dấu phẩy, ví dụ 1,1,1.',
      pagesMismatch:
        'Lô quét có {pages} trang nhưng --pages-per-component cần {expected} trang. Không hồ sơ nào được tiếp nhận; hãy kiểm tra lại giấy tờ trong khay.',
      tooManyParts:
        'Lô quét được chia thành {parts} phần nhưng thủ tục chỉ có {components} thành phần hồ sơ.',
      requiredNotCovered:
        'Thành phần bắt buộc “{name}” chưa có bản quét và không có giấy tờ đã số hóa để dùng lại. Hãy chèn tờ phân cách hoặc dùng --pages-per-component. Hồ sơ nháp {dossier} được giữ lại, chưa cấp mã.',
      noPages: 'Máy quét không trả về trang nào. Hãy đặt giấy vào khay nạp rồi thử lại.',
      received: 'Đã tiếp nhận hồ sơ {code}, hẹn trả {due}. Giấy tiếp nhận: {file}',
      nameRequired: 'Thiếu --name (họ tên cán bộ).',
      pinMissing: 'Thiếu mã PIN: đặt biến MOTCUA_CLERK_PIN hoặc nhập PIN qua stdin.',
      clerkAdded: 'Đã thêm {role} {name}, mã cán bộ {id}.',
      prefillSummary:
        'Báo cáo theo từng thủ tục: số trường trên tờ khai được điền sẵn từ dữ liệu số (QR, OCR) so với gõ tay',
      prefillBadDate: '{flag} phải là ngày dạng năm-tháng-ngày, ví dụ 2026-11-01.',
      prefillEmpty: 'Chưa có hồ sơ nào được tiếp nhận trong khoảng thời gian này.',
      prefillLine:
        '{code} {name}: {dossiers} hồ sơ, điền sẵn {prefilled} trường, gõ tay {typed} trường ({percent}% điền sẵn)',
    },
  },
  errors: {
    'invalid-input': 'Thông tin nhập chưa hợp lệ: {detail}',
    'not-found': 'Không tìm thấy dữ liệu yêu cầu.',
    'unknown-call': 'Chức năng này chưa có trong phiên bản đang chạy.',
    storage: 'Không ghi được dữ liệu vào máy. Hãy báo cán bộ CNTT kiểm tra ổ đĩa.',
    // The scan service's own message (what happened, what to do) is passed through whole.
    scanner: '{detail}',
    forbidden: 'Bạn không có quyền thực hiện thao tác này. Hãy đăng nhập bằng tài khoản phù hợp.',
    conflict: 'Dữ liệu đã bị thay đổi ở nơi khác. Hãy tải lại rồi thử lại.',
    unavailable: 'Chức năng này tạm thời chưa sẵn sàng. Hãy thử lại sau ít phút.',
    internal: 'Đã xảy ra lỗi không mong muốn. Dữ liệu đã nhập vẫn được giữ nguyên; hãy thử lại.',
    connection: 'Mất liên lạc với dịch vụ của bàn tiếp nhận. Đang thử kết nối lại…',
  },
  store: {
    /** A read or write that failed while the desk works (store/storage-errors.ts). */
    runtimeErrors: {
      'disk-full':
        'Ổ đĩa của máy đã đầy nên không lưu thêm được. Hồ sơ đã tiếp nhận vẫn an toàn và vẫn xem, in lại, đồng bộ được; chưa quét hoặc tiếp nhận thêm được. Hãy báo cán bộ CNTT giải phóng dung lượng ổ đĩa.',
      'io-error':
        'Ổ đĩa báo lỗi khi đọc hoặc ghi dữ liệu. Thao tác vừa rồi chưa được lưu; hồ sơ đã tiếp nhận không bị thay đổi. Hãy báo cán bộ CNTT kiểm tra ổ đĩa (chạy “motcua doctor”).',
      damaged:
        'Cơ sở dữ liệu trên máy bị hỏng ở một phần. Đừng xóa thư mục dữ liệu; hãy báo cán bộ CNTT chạy “motcua doctor --full” và khôi phục từ bản sao lưu (docs/SECURITY.md).',
      locked:
        'Dữ liệu đang được một chương trình khác dùng (có thể ứng dụng đang mở ở cửa sổ khác). Chờ một lát rồi thử lại.',
      'read-only':
        'Không ghi được vào thư mục dữ liệu (chỉ đọc hoặc thiếu quyền). Hồ sơ đã có vẫn xem được. Hãy báo cán bộ CNTT cấp quyền ghi.',
    },
    /** Free space under the desk's reserve: new scans wait, everything received stays (store/disk-space.ts). */
    diskReserve:
      'Ổ đĩa chỉ còn {free} trống, dưới mức dự phòng {reserve}. Để không mất dữ liệu, bàn tạm ngừng nhận trang quét mới; hồ sơ đã tiếp nhận vẫn xem, in lại và đồng bộ được. Hãy báo cán bộ CNTT giải phóng dung lượng ổ đĩa.',
    openErrors: {
      'schema-too-new':
        'Dữ liệu trên máy này do phiên bản MotCua Desk mới hơn tạo ra (lược đồ {found}, bản này chỉ biết đến {known}). Hãy cài phiên bản mới nhất; dữ liệu không bị thay đổi.',
      'migration-failed':
        'Không nâng cấp được cơ sở dữ liệu lên phiên bản mới (bước {version} “{name}”). Dữ liệu cũ vẫn nguyên vẹn vì bước nâng cấp đã được hoàn tác. Hãy báo cán bộ CNTT kiểm tra ổ đĩa rồi mở lại ứng dụng.',
      'database-damaged':
        'Tệp cơ sở dữ liệu {file} bị hỏng nên không mở được. Đừng xóa thư mục dữ liệu; hãy báo cán bộ CNTT khôi phục từ bản sao lưu.',
      'disk-full':
        'Ổ đĩa chứa dữ liệu đã đầy nên không mở được cơ sở dữ liệu. Hãy giải phóng dung lượng ổ đĩa rồi mở lại.',
      'database-missing':
        'Thư mục dữ liệu có dấu vết của bàn tiếp nhận đã từng chạy (khóa, tệp hồ sơ hoặc dấu nhận diện) nhưng tệp cơ sở dữ liệu {file} bị mất hoặc rỗng. Ứng dụng không tự tạo dữ liệu mới để không cấp trùng số hồ sơ. Hãy báo cán bộ CNTT khôi phục tệp này từ bản sao lưu (xem docs/SECURITY.md); chỉ khi không còn bản sao lưu mới chạy “motcua recover --start-fresh”.',
      'database-replaced':
        'Tệp cơ sở dữ liệu {file} không phải của bàn tiếp nhận này (có thể đã bị chép đè từ máy khác). Ứng dụng không mở để tránh lẫn hồ sơ và cấp trùng số. Hãy báo cán bộ CNTT khôi phục đúng tệp của máy này từ bản sao lưu (xem docs/SECURITY.md).',
      'io-error':
        'Ổ đĩa báo lỗi khi mở cơ sở dữ liệu {file}. Đừng xóa thư mục dữ liệu; hãy báo cán bộ CNTT kiểm tra ổ đĩa rồi mở lại.',
      'database-locked':
        'Cơ sở dữ liệu đang được một chương trình MotCua Desk khác dùng. Đóng chương trình đó (hoặc chờ lệnh đang chạy xong) rồi mở lại.',
      'database-present':
        'Cơ sở dữ liệu của bàn vẫn còn nên không làm lại từ đầu. Nếu ứng dụng không mở được, hãy chạy “motcua doctor” để xem lý do.',
      'data-dir-unwritable':
        'Không tạo hoặc ghi được thư mục dữ liệu {dir}. Hãy báo cán bộ CNTT cấp quyền ghi cho tài khoản đang dùng.',
    },
  },
  // Sync with the provincial system (engine, CLI enroll/sync/queue, SyncPanel).
  sync: {
    errors: {
      'not-enrolled':
        'Máy này chưa được đăng ký với hệ thống tỉnh. Cán bộ CNTT chạy “motcua enroll” với mã đăng ký do tỉnh cấp.',
      network: 'Không kết nối được hệ thống tỉnh. Hồ sơ vẫn được lưu trên máy và sẽ tự gửi khi có mạng.',
      'server-busy': 'Hệ thống tỉnh đang bận hoặc gặp lỗi. Máy sẽ tự thử lại sau.',
      'bad-answer':
        'Hệ thống tỉnh trả lời không đúng định dạng. Máy sẽ thử lại; nếu lặp lại, hãy báo cán bộ CNTT.',
      'clock-skew':
        'Đồng hồ máy tính lệch {seconds} giây so với hệ thống tỉnh. Hãy báo cán bộ CNTT chỉnh giờ máy rồi đồng bộ lại.',
      revoked:
        'Máy này đã bị thu hồi quyền gửi hồ sơ lên tỉnh. Hồ sơ vẫn được giữ trên máy. Cán bộ CNTT cần đăng ký lại máy.',
      'bad-credentials':
        'Thông tin đăng ký của máy không được hệ thống tỉnh chấp nhận. Cán bộ CNTT cần đăng ký lại máy.',
      'enrolment-code-invalid': 'Mã đăng ký không đúng hoặc đã được dùng. Hãy xin tỉnh cấp mã mới.',
      'gave-up': 'Đã thử gửi nhiều lần không thành công. Còn {pending} hồ sơ chờ gửi; máy sẽ thử lại sau.',
      busy: 'Một chương trình khác trên máy này đang đồng bộ. Hãy chờ nó xong.',
      'invalid-input': 'Thông tin tra cứu không hợp lệ: {detail}',
      'bad-server-url': 'Địa chỉ hệ thống tỉnh không hợp lệ: {detail}',
      internal: 'Lỗi khi đồng bộ: {detail}',
    },
    parked: {
      'dossier-conflict':
        'Hồ sơ {code} trên hệ thống tỉnh khác với trên máy (khác ở: {fields}). Cần cán bộ kiểm tra và quyết định.',
      'dossier-code-taken':
        'Mã hồ sơ {code} đã được dùng cho một hồ sơ khác trên hệ thống tỉnh. Cần cán bộ kiểm tra.',
      'dossier-owned-by-other-device': 'Hồ sơ {code} đã được một máy khác gửi lên tỉnh. Cần cán bộ kiểm tra.',
      'bad-payload': 'Hồ sơ {code} có dữ liệu không hợp lệ nên chưa gửi được: {detail}',
      'too-large': 'Hồ sơ {code} quá lớn để gửi lên tỉnh. Cần cán bộ CNTT kiểm tra.',
      'file-damaged':
        'Tệp “{file}” của hồ sơ {code} trên máy bị hỏng (không khớp mã kiểm tra). Cần quét lại thành phần này.',
      'file-missing': 'Không tìm thấy tệp “{file}” của hồ sơ {code} trên máy. Cần quét lại thành phần này.',
    },
    enrolled: 'Đã đăng ký máy với hệ thống tỉnh: mã cơ quan {agency}, quầy số {slot}.',
    queueSummary:
      'Chờ gửi: {pending} hồ sơ ({bytes}). Cần xử lý: {parked}. Lần gửi thành công gần nhất: {last}.',
    runSummary:
      'Đã gửi {pushed} hồ sơ, nhận {pulled} cập nhật, {parked} hồ sơ cần xử lý, {failed} lần lỗi ({ms} ms).',
    drained: 'Đã gửi hết hồ sơ lên tỉnh.',
    never: 'chưa có',
    panel: {
      title: 'Đồng bộ với hệ thống tỉnh',
      pending: 'Hồ sơ chờ gửi',
      bytesPending: 'Dung lượng chờ gửi',
      parked: 'Hồ sơ cần xử lý',
      lastSuccess: 'Lần gửi thành công gần nhất',
      nextAttempt: 'Lần thử tiếp theo',
      lastError: 'Lỗi gần nhất',
      running: 'Đang đồng bộ…',
      syncNow: 'Đồng bộ ngay',
      notEnrolled: 'Máy chưa đăng ký với hệ thống tỉnh; hồ sơ được giữ trên máy.',
      revoked: 'Máy đã bị thu hồi quyền đồng bộ.',
    },
    provinceStatus: {
      column: 'Trạng thái tại tỉnh',
      none: 'Chưa gửi',
      '1': 'Mới đăng ký',
      '2': 'Được tiếp nhận',
      '3': 'Không được tiếp nhận',
      '4': 'Đang xử lý',
      '5': 'Yêu cầu bổ sung',
      '6': 'Yêu cầu nghĩa vụ tài chính',
      '7': 'Công dân rút hồ sơ',
      '8': 'Dừng xử lý',
      '9': 'Đã xử lý xong',
      '10': 'Đã trả kết quả',
    },
  },
  security: {
    keyErrors: {
      'key-file-exposed':
        'Tệp khóa mã hóa dữ liệu {file} đang để người khác đọc được. Nhờ cán bộ CNTT đặt lại quyền (chỉ tài khoản chạy phần mềm được đọc, chmod 600) rồi mở lại.',
      'key-file-invalid':
        'Tệp khóa mã hóa dữ liệu {file} bị hỏng hoặc không đúng định dạng. Nhờ cán bộ CNTT khôi phục khóa từ bản sao lưu.',
      'key-missing':
        'Không tìm thấy khóa mã hóa dữ liệu {file} trong khi máy này đã có dữ liệu hồ sơ. Ứng dụng không tạo khóa mới vì như vậy dữ liệu cũ sẽ không đọc được nữa. Hãy báo cán bộ CNTT đặt lại tệp khóa từ bản sao lưu (xem docs/SECURITY.md) rồi mở lại.',
      'key-unwrap-failed':
        'Không mở được khóa mã hóa dữ liệu bằng tài khoản máy tính này. Nhờ cán bộ CNTT khôi phục khóa từ bản sao lưu.',
      'key-wrong':
        'Dữ liệu trên máy được mã hóa bằng một khóa khác. Nhờ cán bộ CNTT dùng đúng tệp khóa của máy này.',
    },
    purge: {
      summary: 'Xóa bản quét và dữ liệu cá nhân của hồ sơ tỉnh đã xác nhận quá thời hạn lưu',
      done: 'Đã xóa dữ liệu cá nhân và bản quét của {dossiers} hồ sơ ({blobs} tệp), hồ sơ được tỉnh xác nhận trước {cutoff}.',
      resumed: 'Đã hoàn tất {count} lần xóa bị dừng giữa chừng trước đó.',
      dryRun: 'Chạy thử: {dossiers} hồ sơ sẽ bị xóa dữ liệu cá nhân ({files} tệp hồ sơ, {pages} trang quét).',
      nothing: 'Không có hồ sơ nào quá thời hạn lưu ({days} ngày).',
      unavailable: 'Cơ sở dữ liệu chưa có thông tin tỉnh xác nhận hồ sơ: chưa xóa gì.',
    },
    key: {
      summary: 'Xem thông tin khóa mã hóa dữ liệu (không hiện khóa)',
      status:
        'Khóa mã hóa: {source}{file}. Cơ sở dữ liệu được mã hóa; {sealed} tệp đã mã hóa, {clear} tệp chưa mã hóa.',
      sealed: 'Đã mã hóa {sealed} tệp còn để dạng thường.',
      rotateSummary: 'Đổi khóa mã hóa dữ liệu (cán bộ CNTT, khi phần mềm đang đóng)',
      rotated:
        'Đã đổi khóa mã hóa: cơ sở dữ liệu và {blobs} tệp đã được mã hóa lại bằng khóa mới. Hãy sao lưu tệp khóa mới.',
    },
  },
} as const;
