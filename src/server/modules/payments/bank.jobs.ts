import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import type { Database, Transaction } from '../../db/database.ts'
import { chinaDate } from '../../platform/china-date.ts'
import { yuanText } from '../../platform/money.ts'
import type { PiiCipher } from '../../platform/pii-crypto.ts'
import type { Principal } from '../../platform/principal.ts'
import { nationalScope } from '../../platform/scope.ts'
import * as audit from '../audit/audit.service.ts'
import * as funds from '../funds/funds.repository.ts'
import { postEntry } from '../funds/ledger.ts'
import { readRows, type FileFormat } from '../households/import/parse.ts'
import type { JobHandler } from '../jobs/jobs.service.ts'
import * as repo from './payments.repository.ts'

// The bank side of a cycle (issue 5 §3, §5), as durable jobs.
//
// Export: the approved cycle's lines, in line order, become a CSV written chunk by chunk (the byte
// length is the checkpoint: a resumed job truncates to it and goes on), then an .xlsx made from the
// CSV; the cycle becomes 'exported'. The full bank account numbers appear only in these files, and
// the export is audited as a full view of personal data.
//
// Results: the bank's file (参考号, 结果, 失败原因, 银行流水号) is checked whole first — every row's
// reference must be a line of this cycle, once, with a known result and a reason when failed; any
// problem fails the job naming the row and column, and changes nothing. Then it is applied in chunks:
// each chunk settles its lines and posts, in the same transaction, one payment entry (reserved → paid)
// and one return entry (reserved → available) for its sums, with the job's checkpoint. When no line
// is pending the cycle is 'paid' or 'partly_failed'.

export const EXPORT_JOB = 'payments.export'
export const RESULTS_JOB = 'payments.import_results'
const CHUNK = 2000

export const bankFolder = (importsDir: string) => path.join(importsDir, 'payments')
export const bankFileName = (cycleId: string, format: FileFormat) => `bank-${cycleId}.${format}`
/** The reference the bank file gives each line: the cycle's first eight characters and the line number. */
export const lineReference = (cycleId: string, lineNo: number) => `${cycleId.slice(0, 8).toUpperCase()}-${lineNo}`

export const BANK_HEADER = ['参考号', '户名', '开户行', '账号', '金额（元）']
export const RESULT_HEADER = ['参考号', '结果', '失败原因', '银行流水号']

/** A CSV field: quoted when needed; a leading = + - @ is neutralised so a spreadsheet never runs it. */
const csvField = (v: string) => {
  const safe = /^[=+\-@]/.test(v) ? `'${v}` : v
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

const actor = (jobId: string, userId: string | null, name: string): Principal => ({
  userId,
  username: name,
  displayName: name,
  orgId: null,
  scope: nationalScope,
  roles: [],
  permissions: new Set(),
  requestId: `job:${jobId}`,
})

async function starterOf(db: Parameters<typeof repo.findCycle>[0], jobId: string): Promise<Principal> {
  const row = await db.selectFrom('job as j').leftJoin('app_user as u', 'u.id', 'j.created_by').select(['j.created_by', 'u.display_name']).where('j.id', '=', jobId).executeTakeFirst()
  return actor(jobId, row?.created_by ?? null, row?.display_name ?? 'system')
}

export interface ExportParams {
  cycleId: string
}

export function exportJob(options: { importsDir: string; piiCipher?: PiiCipher }): JobHandler<ExportParams, { afterLineNo: number; bytes: number; done: number }, { lines: number }> {
  return {
    kind: EXPORT_JOB,
    async run(ctx) {
      const cipher = options.piiCipher
      if (!cipher) throw new Error('the bank file needs the key that seals bank accounts')
      const c = await repo.findCycle(ctx.db, ctx.params.cycleId)
      if (!c) throw new Error(`payment cycle ${ctx.params.cycleId} not found`)
      const dir = bankFolder(options.importsDir)
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
      const csvPath = path.join(dir, bankFileName(c.id, 'csv'))
      let cp = ctx.checkpoint ?? { afterLineNo: 0, bytes: 0, done: 0 }
      if (cp.bytes === 0) fs.writeFileSync(csvPath, `\uFEFF${BANK_HEADER.join(',')}\r\n`, { mode: 0o600 })
      else fs.truncateSync(csvPath, cp.bytes)
      if (cp.bytes === 0) cp = { ...cp, bytes: fs.statSync(csvPath).size }
      for (;;) {
        const rows = await repo.linesPage(ctx.db, c.province_code, c.id, { afterLineNo: cp.afterLineNo, limit: ctx.chunkSize(CHUNK) })
        if (rows.length === 0) break
        const text = rows
          .map((r) =>
            [lineReference(c.id, r.line_no), r.payee_name, r.bank_name ?? '', r.bank_account_sealed ? cipher.decrypt(r.bank_account_sealed) : '', yuanText(BigInt(r.amount_fen))].map(csvField).join(','),
          )
          .join('\r\n')
        fs.appendFileSync(csvPath, `${text}\r\n`)
        const next = { afterLineNo: rows.at(-1)!.line_no, bytes: fs.statSync(csvPath).size, done: cp.done + rows.length }
        await ctx.step(async () => ({ checkpoint: next, done: next.done, total: c.line_count }))
        cp = next
      }
      // The .xlsx, from the CSV just written (rewritten whole if the job resumes here).
      const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path.join(dir, bankFileName(c.id, 'xlsx')), useStyles: false, useSharedStrings: false })
      const sheet = book.addWorksheet('发放明细')
      for await (const row of readRows(csvPath, 'csv')) {
        sheet.addRow(row.cells.map((v) => (v.startsWith("'") ? v.slice(1) : v))).commit()
        await ctx.breathe()
      }
      await book.commit()
      const p = await starterOf(ctx.db, ctx.id)
      await ctx.step(async (trx) => {
        const locked = (await repo.lockCycle(trx, c.province_code, c.id))!
        if (locked.status === 'approved') await repo.updateCycle(trx, locked, { status: 'exported' })
        await audit.record(trx, {
          actor: { id: p.userId, name: p.username },
          action: 'payment.bank_export',
          entityType: 'payment_cycle',
          entityId: c.id,
          regionCode: c.region_code,
          after: { lines: cp.done, fullBankAccounts: true },
          requestId: p.requestId,
        })
        return { checkpoint: cp, done: cp.done, total: cp.done }
      })
      return { lines: cp.done }
    },
  }
}

export interface ResultsParams {
  cycleId: string
  storageKey: string
  fileName: string
  /** rows per chunk (one transaction each); 2,000 by default */
  chunkSize?: number
}

interface ResultRow {
  rowNo: number
  lineNo: number
  paid: boolean
  reason: string | null
  serial: string | null
}

const PAID = new Set(['成功', '已支付', '支付成功', 'paid', 'success', 'ok'])
const FAILED = new Set(['失败', '支付失败', '退票', 'failed', 'fail'])

/** Checks the whole file; answers the rows to apply or the problems (row, column, what is wrong). */
async function readResults(filePath: string, format: FileFormat, c: { id: string }, known: Map<number, 'pending' | 'paid' | 'failed'>, breathe: () => Promise<void>): Promise<{ rows: ResultRow[]; problems: string[] }> {
  const rows: ResultRow[] = []
  const problems: string[] = []
  const seen = new Set<number>()
  const prefix = `${c.id.slice(0, 8).toUpperCase()}-`
  let header: string[] | null = null
  for await (const raw of readRows(filePath, format)) {
    await breathe()
    const cells = raw.cells.map((v) => v.trim())
    if (!header) {
      header = cells
      const missing = RESULT_HEADER.slice(0, 2).filter((h) => !header!.includes(h))
      if (missing.length) problems.push(`第 ${raw.rowNo} 行：缺少列 ${missing.join('、')}（表头应为 ${RESULT_HEADER.join('、')}）`)
      continue
    }
    if (problems.length >= 50) break
    const col = (name: string) => cells[header!.indexOf(name)] ?? ''
    const ref = col('参考号').replace(/^'/, '')
    const result = col('结果').toLowerCase()
    const where = (column: string) => `第 ${raw.rowNo} 行“${column}”列`
    if (!ref.toUpperCase().startsWith(prefix)) {
      problems.push(`${where('参考号')}：${ref || '（空）'} 不是本批次的参考号`)
      continue
    }
    const lineNo = Number(ref.slice(prefix.length))
    const status = Number.isInteger(lineNo) ? known.get(lineNo) : undefined
    if (status === undefined) {
      problems.push(`${where('参考号')}：本批次没有 ${ref}`)
      continue
    }
    if (seen.has(lineNo)) {
      problems.push(`${where('参考号')}：${ref} 重复出现`)
      continue
    }
    seen.add(lineNo)
    const paid = PAID.has(result)
    if (!paid && !FAILED.has(result)) {
      problems.push(`${where('结果')}：应为“成功”或“失败”，而不是“${col('结果')}”`)
      continue
    }
    const reason = col('失败原因') || null
    if (!paid && !reason) {
      problems.push(`${where('失败原因')}：失败的记录须写明原因`)
      continue
    }
    if (status !== 'pending' && (status === 'paid') !== paid) {
      problems.push(`${where('结果')}：${ref} 已登记为${status === 'paid' ? '成功' : '失败'}，不能改为${paid ? '成功' : '失败'}`)
      continue
    }
    if (status === 'pending') rows.push({ rowNo: raw.rowNo, lineNo, paid, reason: paid ? null : reason!.slice(0, 200), serial: col('银行流水号').slice(0, 64) || null })
  }
  if (!header) problems.push('文件是空的')
  return { rows, problems }
}

export function resultsJob(options: { importsDir: string }): JobHandler<ResultsParams, { applied: number }, { paid: number; failed: number }> {
  return {
    kind: RESULTS_JOB,
    async run(ctx) {
      const c = await repo.findCycle(ctx.db, ctx.params.cycleId)
      if (!c) throw new Error(`payment cycle ${ctx.params.cycleId} not found`)
      const filePath = path.join(bankFolder(options.importsDir), path.basename(ctx.params.storageKey))
      const format: FileFormat = ctx.params.storageKey.endsWith('.xlsx') ? 'xlsx' : 'csv'
      const known = new Map((await repo.lineStatuses(ctx.db, c.province_code, c.id, ctx.chunkSize(50_000), () => ctx.breathe())).map((l) => [l.line_no, l.status]))
      const { rows, problems } = await readResults(filePath, format, c, known, () => ctx.breathe())
      if (problems.length) throw new Error(problems.slice(0, 20).join('；'))
      const p = await starterOf(ctx.db, ctx.id)
      const org = (await funds.orgInScope(ctx.db, nationalScope, c.org_id))!
      let applied = ctx.checkpoint?.applied ?? 0
      // The rows still to apply are those whose lines are pending (a resumed job finds the committed ones settled).
      const pending = rows.filter((r) => known.get(r.lineNo) === 'pending')
      const chunk = ctx.params.chunkSize ?? CHUNK
      for (let i = 0; i < pending.length; ) {
        const part = pending.slice(i, i + ctx.chunkSize(chunk))
        i += part.length
        await ctx.step(async (trx) => {
          const settled = await repo.settleLines(trx, c.province_code, c.id, part)
          await postSettlement(trx, p, org, c, settled)
          applied += settled.paidCount + settled.failedCount
          return { checkpoint: { applied }, done: applied, total: pending.length }
        })
      }
      let result = { paid: 0, failed: 0 }
      await ctx.step(async (trx) => {
        const locked = (await repo.lockCycle(trx, c.province_code, c.id))!
        const t = await repo.lineTotals(trx, c.province_code, c.id)
        const pendingLeft = t.count - t.paidCount - t.failedCount
        const status = pendingLeft > 0 ? locked.status : t.failedCount > 0 ? 'partly_failed' : 'paid'
        await repo.updateCycle(trx, locked, { status, paid_count: t.paidCount, paid_fen: t.paidFen, failed_count: t.failedCount, failed_fen: t.failedFen })
        await audit.record(trx, {
          actor: { id: p.userId, name: p.username },
          action: 'payment.bank_results',
          entityType: 'payment_cycle',
          entityId: c.id,
          regionCode: c.region_code,
          after: { file: ctx.params.fileName, rows: rows.length, paid: t.paidCount, failed: t.failedCount, pending: pendingLeft },
          requestId: p.requestId,
        })
        result = { paid: t.paidCount, failed: t.failedCount }
        return { checkpoint: { applied }, done: applied, total: Math.max(applied, 1) }
      })
      return result
    },
  }
}

/** The ledger side of settled lines: paid money leaves the reserve for 'paid'; failed money goes back to the fund. */
async function postSettlement(
  trx: Transaction<Database>,
  p: Principal,
  org: funds.LedgerOrg,
  c: { id: string; fund_type: string; programme_code: string; period: string },
  s: { paidFen: bigint; failedFen: bigint },
): Promise<void> {
  const common = { org, fundType: c.fund_type, occurredOn: chinaDate(), ref: { kind: 'payment_cycle', id: c.id }, memo: `${c.programme_code} ${c.period}` }
  if (s.paidFen > 0n) {
    await postEntry(trx, p, {
      ...common,
      kind: 'payment',
      amountFen: s.paidFen,
      lines: [
        { account: { org, fundType: c.fund_type, kind: 'reserved' }, amountFen: -s.paidFen },
        { account: { org, fundType: c.fund_type, kind: 'paid' }, amountFen: s.paidFen },
      ],
    })
  }
  if (s.failedFen > 0n) {
    await postEntry(trx, p, {
      ...common,
      kind: 'return',
      amountFen: s.failedFen,
      lines: [
        { account: { org, fundType: c.fund_type, kind: 'reserved' }, amountFen: -s.failedFen },
        { account: { org, fundType: c.fund_type, kind: 'available' }, amountFen: s.failedFen },
      ],
    })
  }
}
