// Money rules of entrepreneurship loans (创业担保贷款, domain.md §2, §5): the repayment schedule,
// the interest subsidy (财政贴息) and what is overdue. Pure functions over bigint fen; no floats.
//
// Deterministic rounding, so that every sum is exact:
// - Principal. 等额本金 (equal_principal): each instalment repays floor(P / n) fen and the LAST
//   instalment also takes the remainder P − n·floor(P / n). 到期一次还本 (bullet): the whole
//   principal falls in the last instalment. Σ principal = P always.
// - Interest. Month k's exact interest is balance_k × rate_bp / 120 000 (annual basis points ÷ 12
//   months ÷ 10 000), balance_k being the principal outstanding during month k. Instalments get
//   the CUMULATIVE round-down: interest_k = floor(E_k) − floor(E_{k−1}), E_k the exact interest of
//   months 1..k. So Σ interest = floor(exact total interest) and each instalment differs from its
//   exact value by less than one fen.
// - Subsidy. The same cumulative round-down over the interest: subsidy_k = floor(I_k·s) −
//   floor(I_{k−1}·s), I_k the interest of instalments 1..k and s = subsidy_bp / 10 000. So Σ subsidy
//   = floor(Σ interest · s) exactly and 0 ≤ subsidy_k ≤ interest_k.
// - The borrower owes per instalment principal + interest − subsidy ("due"); the subsidy is paid to
//   the lender from the fund.
// - Instalment k falls due on the last day of the k-th month after the start month (a loan started
//   in 2026-03 repays its first instalment by 2026-04-30).

export const loanMethods = ['equal_principal', 'bullet'] as const
export type LoanMethod = (typeof loanMethods)[number]

export const MAX_TERM_MONTHS = 360
export const MAX_RATE_BP = 10_000
export const BP = 10_000n

export interface LoanTerms {
  principalFen: bigint
  termMonths: number
  /** YYYY-MM: the month the loan is paid out */
  startMonth: string
  /** annual interest rate in basis points (1 bp = 0.01 %) */
  annualRateBp: number
  /** the share of each instalment's interest the fund pays, in basis points (10 000 = all) */
  subsidyBp: number
  method: LoanMethod
}

export interface Instalment {
  /** 1..termMonths */
  seq: number
  /** YYYY-MM, the month the instalment falls due */
  dueMonth: string
  /** YYYY-MM-DD, the last day of dueMonth */
  dueOn: string
  principalFen: bigint
  interestFen: bigint
  subsidyFen: bigint
  /** principal + interest − subsidy: what the borrower pays */
  dueFen: bigint
  /** principal still outstanding after this instalment */
  balanceAfterFen: bigint
}

export interface Schedule {
  instalments: Instalment[]
  totalPrincipalFen: bigint
  totalInterestFen: bigint
  totalSubsidyFen: bigint
  totalDueFen: bigint
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/

export function isMonth(value: unknown): value is string {
  return typeof value === 'string' && MONTH.test(value)
}

/** The month `n` months after `month` (YYYY-MM). */
export function addMonthsToMonth(month: string, n: number): string {
  const m = MONTH.exec(month)
  if (!m) throw new Error(`not a month: ${month}`)
  const index = Number(m[1]) * 12 + (Number(m[2]) - 1) + n
  const y = Math.floor(index / 12)
  return `${String(y).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`
}

/** The last day of a month, YYYY-MM-DD. */
export function lastDayOf(month: string): string {
  const m = MONTH.exec(month)
  if (!m) throw new Error(`not a month: ${month}`)
  const days = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate()
  return `${month}-${String(days).padStart(2, '0')}`
}

/** Checks the terms are well formed; throws on anything the service should have refused. */
function checkTerms(t: LoanTerms): void {
  if (typeof t.principalFen !== 'bigint' || t.principalFen <= 0n) throw new RangeError('principal must be a positive bigint of fen')
  if (!Number.isInteger(t.termMonths) || t.termMonths < 1 || t.termMonths > MAX_TERM_MONTHS) throw new RangeError('term out of range')
  if (!isMonth(t.startMonth)) throw new RangeError('start month must be YYYY-MM')
  if (!Number.isInteger(t.annualRateBp) || t.annualRateBp < 0 || t.annualRateBp > MAX_RATE_BP) throw new RangeError('rate out of range')
  if (!Number.isInteger(t.subsidyBp) || t.subsidyBp < 0 || t.subsidyBp > 10_000) throw new RangeError('subsidy out of range')
  if (!(loanMethods as readonly string[]).includes(t.method)) throw new RangeError('unknown method')
}

/** The repayment schedule of a loan, with the interest subsidy of each instalment (see the rules above). */
export function repaymentSchedule(t: LoanTerms): Schedule {
  checkTerms(t)
  const n = BigInt(t.termMonths)
  const rate = BigInt(t.annualRateBp)
  const subsidy = BigInt(t.subsidyBp)
  const base = t.principalFen / n
  const instalments: Instalment[] = []
  let balance = t.principalFen
  // exact interest so far, as a numerator over 120 000
  let exactNumerator = 0n
  let interestSoFar = 0n
  let subsidySoFar = 0n
  for (let k = 1; k <= t.termMonths; k++) {
    const last = k === t.termMonths
    const principal = t.method === 'bullet' ? (last ? balance : 0n) : last ? balance : base
    exactNumerator += balance * rate
    const cumulativeInterest = exactNumerator / 120_000n
    const interest = cumulativeInterest - interestSoFar
    interestSoFar = cumulativeInterest
    const cumulativeSubsidy = (cumulativeInterest * subsidy) / BP
    const sub = cumulativeSubsidy - subsidySoFar
    subsidySoFar = cumulativeSubsidy
    balance -= principal
    const dueMonth = addMonthsToMonth(t.startMonth, k)
    instalments.push({
      seq: k,
      dueMonth,
      dueOn: lastDayOf(dueMonth),
      principalFen: principal,
      interestFen: interest,
      subsidyFen: sub,
      dueFen: principal + interest - sub,
      balanceAfterFen: balance,
    })
  }
  const sum = (f: (i: Instalment) => bigint) => instalments.reduce((s, i) => s + f(i), 0n)
  return {
    instalments,
    totalPrincipalFen: sum((i) => i.principalFen),
    totalInterestFen: sum((i) => i.interestFen),
    totalSubsidyFen: sum((i) => i.subsidyFen),
    totalDueFen: sum((i) => i.dueFen),
  }
}

export interface Repayment {
  /** YYYY-MM-DD */
  paidOn: string
  amountFen: bigint
}

export interface OverdueInstalment {
  seq: number
  dueOn: string
  dueFen: bigint
  /** the part of this instalment covered by repayments made on or before today */
  paidFen: bigint
  /** dueFen − paidFen, > 0 */
  outstandingFen: bigint
}

/**
 * The instalments past their due date (dueOn < today) not yet fully covered. Repayments made on
 * or before `today` cover the instalments in order, oldest first (a later repayment pays off
 * arrears first, whatever its date); repayments dated after today are ignored.
 */
export function overdueInstalments(schedule: Schedule, repayments: readonly Repayment[], today: string): OverdueInstalment[] {
  let available = repayments.filter((r) => r.paidOn <= today).reduce((s, r) => s + r.amountFen, 0n)
  const overdue: OverdueInstalment[] = []
  for (const i of schedule.instalments) {
    const paid = available >= i.dueFen ? i.dueFen : available
    available -= paid
    if (i.dueOn < today && paid < i.dueFen) overdue.push({ seq: i.seq, dueOn: i.dueOn, dueFen: i.dueFen, paidFen: paid, outstandingFen: i.dueFen - paid })
  }
  return overdue
}

/** Total repaid (every repayment on record) and what remains of the borrower's total due. */
export function repaidSoFar(schedule: Schedule, repayments: readonly Repayment[]): { repaidFen: bigint; remainingFen: bigint } {
  const repaidFen = repayments.reduce((s, r) => s + r.amountFen, 0n)
  const remaining = schedule.totalDueFen - repaidFen
  return { repaidFen, remainingFen: remaining > 0n ? remaining : 0n }
}

/** Parses a whole number of fen written as a decimal string (or bigint); null when it is not one. */
export function parseFen(value: unknown, max: bigint): bigint | null {
  if (typeof value === 'bigint') return value > 0n && value <= max ? value : null
  if (typeof value !== 'string' || !/^[0-9]{1,15}$/.test(value.trim())) return null
  const v = BigInt(value.trim())
  return v > 0n && v <= max ? v : null
}
