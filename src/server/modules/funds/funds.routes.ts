import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import ExcelJS from 'exceljs'
import { Type } from 'typebox'
import type { Database, Kysely } from '../../db/database.ts'
import { errorResponses, IdParams } from '../../platform/http-schemas.ts'
import { principal } from '../../platform/http.ts'
import { requirePermission } from '../../platform/principal.ts'
import {
  AllocationBody,
  CodesSchema,
  EntryDetailSchema,
  EntryList,
  EntryListQuery,
  OverviewQuery,
  OverviewSchema,
  RaisedVsPaidQuery,
  RaisedVsPaidSchema,
  ReceiptBody,
  ReverseBody,
  StatementQuery,
  StatementSchema,
} from './funds.schemas.ts'
import {
  allocate,
  type Entry,
  type EntryDetail,
  type FundBalance,
  fundOverview,
  fundSources,
  fundTypes,
  getEntry,
  listEntries,
  namedStatement,
  raisedVsPaid,
  recordReceipt,
  reverseEntry,
  type Statement,
} from './funds.service.ts'
import { ledgerEntryKinds } from './funds.tables.ts'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

const fenMap = (m: Record<string, bigint>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.toString()]))

const entryJson = (e: Entry) => ({ ...e, amountFen: e.amountFen.toString(), createdAt: e.createdAt.toISOString() })
const detailJson = (e: EntryDetail) => ({ ...entryJson(e), lines: e.lines.map((l) => ({ ...l, amountFen: l.amountFen.toString() })) })
const balanceJson = (b: FundBalance) => ({
  ...b,
  availableFen: b.availableFen.toString(),
  reservedFen: b.reservedFen.toString(),
  paidFen: b.paidFen.toString(),
  receivedFen: fenMap(b.receivedFen),
  receivedTotalFen: b.receivedTotalFen.toString(),
})
const statementJson = (s: Statement & { orgName: string }) => ({
  ...s,
  openingFen: s.openingFen.toString(),
  closingFen: s.closingFen.toString(),
  lines: s.lines.map((l) => ({ ...l, at: l.at.toISOString(), amountFen: l.amountFen.toString(), balanceFen: l.balanceFen.toString() })),
})

// ---------------------------------------------------------------- the statement as a sheet

const fundTypeZh: Record<string, string> = {
  hardship_fund: '困难职工帮扶资金',
  regular_subsidy_fund: '送温暖常态化资金',
  centre_allowance_fund: '再就业服务中心基本生活保障资金',
  mutual_aid_fund: '职工医疗互助资金',
  education_aid_fund: '金秋助学资金',
  training_fund: '技能培训资金',
  entrepreneurship_fund: '创业援助资金',
}
const accountKindZh: Record<string, string> = { available: '可用资金', reserved: '已预留', paid: '已发放' }
const entryKindZh: Record<string, string> = { receipt: '到账', allocation: '下拨', reserve: '预留', release: '释放预留', payment: '发放', return: '退回', reversal: '冲正' }

/** 'YYYY-MM-DD' of the first day of the period. */
const monthOf = (from: string) => from.slice(0, 7)

/** `attachment; filename="ascii"; filename*=UTF-8''…` (RFC 6266). */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
}

/**
 * One sheet: a title, the opening balance, each line with its running balance, the closing balance.
 * Amounts are yuan numbers with two decimals (whole fen divided by 100 is exact at these sizes).
 */
async function statementWorkbook(s: Statement & { orgName: string }): Promise<Buffer> {
  const yuan = (fen: bigint) => Number(fen) / 100
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Jiekun'
  const sheet = workbook.addWorksheet('资金对账单')
  sheet.columns = [
    { key: 'day', width: 12 },
    { key: 'kind', width: 10 },
    { key: 'reference', width: 24 },
    { key: 'memo', width: 36 },
    { key: 'by', width: 12 },
    { key: 'in', width: 16 },
    { key: 'out', width: 16 },
    { key: 'balance', width: 18 },
  ]
  sheet.mergeCells('A1:H1')
  sheet.getCell('A1').value = `${s.orgName} ${fundTypeZh[s.fundType] ?? s.fundType}（${accountKindZh[s.kind] ?? s.kind}）对账单 ${monthOf(s.from)}`
  sheet.getCell('A1').font = { bold: true, size: 14 }
  sheet.addRow(['日期', '类型', '文号/凭证号', '摘要', '经办人', '收入（元）', '支出（元）', '余额（元）']).font = { bold: true }
  sheet.addRow([s.from, '期初余额', '', '', '', null, null, yuan(s.openingFen)])
  for (const l of s.lines) {
    sheet.addRow([l.occurredOn, entryKindZh[l.kind] ?? l.kind, l.reference ?? '', l.memo ?? '', l.byName, l.amountFen > 0n ? yuan(l.amountFen) : null, l.amountFen < 0n ? yuan(-l.amountFen) : null, yuan(l.balanceFen)])
  }
  const closing = sheet.addRow(['', '期末余额', '', s.truncated ? '明细超出上限，请缩小期间' : '', '', null, null, yuan(s.closingFen)])
  closing.font = { bold: true }
  for (const c of ['F', 'G', 'H']) sheet.getColumn(c).numFmt = '#,##0.00'
  sheet.views = [{ state: 'frozen', ySplit: 2 }]
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

/** Hardship funds and the ledger (issue 5 §1, §2): balances, receipts, allocations, entries, reversals, statements, raised against paid. */
export const fundRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get('/funds/codes', { schema: { tags: ['funds'], summary: 'Fund types, sources of funds and entry kinds (closed lists), for the forms', response: { 200: CodesSchema, ...errorResponses } } }, async (req) => {
    requirePermission(principal(req), 'fund.read')
    return { fundTypes: [...fundTypes], sources: [...fundSources], entryKinds: [...ledgerEntryKinds] }
  })

  app.get(
    '/funds',
    {
      schema: {
        tags: ['funds'],
        summary: 'Funds in the caller’s scope: per organisation and fund type, available, reserved, paid and received by source',
        querystring: OverviewQuery,
        response: { 200: OverviewSchema, ...errorResponses },
      },
    },
    async (req) => ({ items: (await fundOverview(db, principal(req), req.query)).map(balanceJson) }),
  )

  app.post(
    '/funds/receipts',
    { schema: { tags: ['funds'], summary: 'Record money received by an organisation from a source (fund.manage)', body: ReceiptBody, response: { 201: EntryDetailSchema, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(detailJson(await recordReceipt(db, principal(req), req.body))),
  )

  app.post(
    '/funds/allocations',
    {
      schema: {
        tags: ['funds'],
        summary: 'Allocate money from an organisation to one below it (fund.manage); refused when the giver is short',
        body: AllocationBody,
        response: { 201: EntryDetailSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(detailJson(await allocate(db, principal(req), req.body))),
  )

  app.get('/funds/entries', { schema: { tags: ['funds'], summary: 'Ledger entries in the caller’s scope, newest first (keyset pages)', querystring: EntryListQuery, response: { 200: EntryList, ...errorResponses } } }, async (req) => {
    const r = await listEntries(db, principal(req), req.query)
    return { items: r.items.map(entryJson), nextCursor: r.nextCursor }
  })

  app.get('/funds/entries/:id', { schema: { tags: ['funds'], summary: 'One ledger entry with its lines', params: IdParams, response: { 200: EntryDetailSchema, ...errorResponses } } }, async (req) =>
    detailJson(await getEntry(db, principal(req), req.params.id)),
  )

  app.post(
    '/funds/entries/:id/reverse',
    {
      schema: {
        tags: ['funds'],
        summary: 'Reverse a receipt or an allocation with a reason (fund.manage): the same lines negated, once; refused when the money has moved on',
        params: IdParams,
        body: ReverseBody,
        response: { 201: EntryDetailSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(detailJson(await reverseEntry(db, principal(req), req.params.id, req.body))),
  )

  app.get(
    '/funds/statement',
    {
      schema: {
        tags: ['funds'],
        summary: 'An account’s statement for a month: opening balance, lines with the running balance, closing balance',
        querystring: StatementQuery,
        response: { 200: StatementSchema, ...errorResponses },
      },
    },
    async (req) => statementJson(await namedStatement(db, principal(req), req.query)),
  )

  app.get(
    '/funds/statement.xlsx',
    {
      schema: {
        tags: ['funds'],
        summary: 'The same statement as an .xlsx sheet',
        querystring: StatementQuery,
        response: { 200: Type.Unknown({ description: 'the workbook' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const s = await namedStatement(db, principal(req), req.query)
      const body = await statementWorkbook(s)
      const name = `资金对账单_${s.orgName}_${fundTypeZh[s.fundType] ?? s.fundType}_${monthOf(s.from)}.xlsx`
      return reply.header('content-type', XLSX).header('content-disposition', attachment(name)).send(body)
    },
  )

  app.get(
    '/funds/raised-vs-paid',
    {
      schema: {
        tags: ['funds'],
        summary: 'Funds raised by source against funds paid in a year, per fund type, in the caller’s scope',
        querystring: RaisedVsPaidQuery,
        response: { 200: RaisedVsPaidSchema, ...errorResponses },
      },
    },
    async (req) => {
      const r = await raisedVsPaid(db, principal(req), req.query)
      const row = (x: { receivedFen: Record<string, bigint>; receivedTotalFen: bigint; paidFen: bigint }) => ({
        receivedFen: fenMap(x.receivedFen),
        receivedTotalFen: x.receivedTotalFen.toString(),
        paidFen: x.paidFen.toString(),
      })
      return { year: r.year, items: r.items.map((i) => ({ fundType: i.fundType, ...row(i) })), totals: row(r.totals) }
    },
  )
}
