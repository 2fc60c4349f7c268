/** Today's calendar day in China ('YYYY-MM-DD'), whatever the browser's time zone: China keeps UTC+8 all year. */
export function chinaToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
