/**
 * The calendar date in China for an instant, 'YYYY-MM-DD'. Dates in this domain (birth
 * dates, effective dates of standards and policies, the filing year) are Chinese calendar
 * days, whatever the server's time zone. China has kept UTC+8 all year since 1991, so a
 * fixed offset is exact and needs no time-zone data.
 */
export function chinaDate(instant: Date = new Date()): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
}
