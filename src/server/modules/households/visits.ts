// The visiting rule (domain.md §3 Visits; 001 §三(三)3; issue 3 §6): a household on file that has
// not been visited for six calendar months is overdue. Pure date arithmetic on Chinese calendar
// days ('YYYY-MM-DD', platform/china-date.ts), shared by the visit list, the overdue list and
// the yearly re-verification.

/** Months without a visit after which a household on file is flagged. */
export const VISIT_INTERVAL_MONTHS = 6

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** True for a real calendar day written 'YYYY-MM-DD' (no 2026-02-30). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false
  const m = DATE.exec(value)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/**
 * The same day `months` calendar months later (or earlier, when negative). A day the target
 * month lacks is clamped to its last day: 2026-08-31 + 6 → 2027-02-28, 2027-08-31 + 6 →
 * 2028-02-29, 2026-03-31 − 1 → 2026-02-28.
 */
export function addMonths(date: string, months: number): string {
  const m = DATE.exec(date)
  if (!m || !isIsoDate(date)) throw new RangeError(`not a date: ${date}`)
  const total = Number(m[1]) * 12 + (Number(m[2]) - 1) + months
  const year = Math.floor(total / 12)
  const month = total - year * 12 + 1
  const day = Math.min(Number(m[3]), daysInMonth(year, month))
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`
}

/** The next calendar day. */
export function nextDay(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`) + 86_400_000
  return new Date(t).toISOString().slice(0, 10)
}

/**
 * Whether a household is overdue for a visit on `today`: its last visit (or, never visited,
 * the day it came on file: `since`) plus six calendar months, clamped to the month's end, lies
 * before today. On the anniversary day itself it is not yet overdue: last visited 2026-08-31,
 * the household is due by 2027-02-28 and overdue from 2027-03-01. A visit dated after `since`
 * always counts; a visit older than `since` (before the file, or an earlier episode) counts
 * too, since it is the latest one known — callers pass the later of the two if they want the
 * episode to restart the clock.
 */
export function visitOverdue(lastVisitOn: string | null, since: string, today: string): boolean {
  const reference = lastVisitOn ?? since
  return addMonths(reference, VISIT_INTERVAL_MONTHS) < today
}

/**
 * The first reference day that is not overdue on `today`: a household is overdue exactly when
 * its reference day (last visit, else the day it came on file) is before this cutoff. It is
 * what SQL compares against, so the database and `visitOverdue` agree to the day, month ends
 * included (on 2026-03-31, 2025-09-30 + 6 months = 2026-03-30 is overdue: the cutoff is 2025-10-01,
 * not the naive 2025-09-30).
 */
export function overdueCutoff(today: string): string {
  let cutoff = addMonths(today, -VISIT_INTERVAL_MONTHS)
  // Clamping can map a few days onto one; step forward until the day is no longer overdue.
  while (visitOverdue(cutoff, cutoff, today)) cutoff = nextDay(cutoff)
  // And back while the previous day is not overdue either (today − 6 months rounds down at month ends).
  for (;;) {
    const before = previousDay(cutoff)
    if (visitOverdue(before, before, today)) return cutoff
    cutoff = before
  }
}

function previousDay(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`) - 86_400_000
  return new Date(t).toISOString().slice(0, 10)
}
