/** Times as a Vietnamese clerk reads them (hh:mm dd/mm/yyyy), on Vietnam's clock whatever the PC's zone. */
export const timeFormat = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  hour: '2-digit',
  minute: '2-digit',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});
