import dayjs from 'dayjs';

/** Local date-time for ISO timestamps; '' for null. `short` drops the seconds. */
export function formatDateTime(value: string | null | undefined, short = false): string {
  if (!value) return '';
  const d = dayjs(value);
  return d.isValid() ? d.format(short ? 'YYYY-MM-DD HH:mm' : 'YYYY-MM-DD HH:mm:ss') : value;
}
