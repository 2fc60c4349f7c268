import type { Database, Transaction } from '../../db/database.ts'
import { AppError, text } from '../../platform/errors.ts'
import { actorOf, type Principal } from '../../platform/principal.ts'
import * as audit from '../audit/audit.service.ts'
import * as repo from './funds.repository.ts'
import type { LedgerAccountKind, LedgerEntryKind } from './funds.tables.ts'

/**
 * The double-entry core (issue 5 §2; domain.md §6). `postEntry` is the only writer of the ledger:
 * every movement of money (receipts, allocations, reserving and releasing for payment cycles,
 * payments, returns of failed payments, reversals) is one entry whose lines sum to zero.
 *
 * In one transaction it creates the accounts it names when they are new, locks them in a fixed
 * order (province, id: two postings never wait on each other in a cycle), refuses a line that would
 * take an available, reserved or paid balance below zero (naming the account and the figures),
 * adds the lines to the kept balances, and writes the entry, its lines and an audit record. The
 * database backs each rule: a CHECK on the balances, a deferred trigger that an entry balances, and
 * triggers that refuse any UPDATE or DELETE of entries and lines.
 */

/** An account named by what it is: an organisation's fund type and kind (and source, for receipts). */
export interface AccountName {
  org: repo.LedgerOrg
  fundType: string
  kind: LedgerAccountKind
  source?: string
}

export interface PostLine {
  account: AccountName
  /** signed fen: positive debits the account (money in for available, reserved, paid) */
  amountFen: bigint
}

export interface PostInput {
  kind: LedgerEntryKind
  /** the organisation on whose books the entry is written: its province holds the entry */
  org: repo.LedgerOrg
  fundType: string
  /** the entry's headline amount (what moved), positive */
  amountFen: bigint
  /** 'YYYY-MM-DD' */
  occurredOn: string
  memo?: string | null
  reference?: string | null
  ref?: { kind: string; id: string } | null
  reversesId?: string | null
  lines: PostLine[]
}

const kindZh: Record<LedgerAccountKind, string> = { available: '可用资金', reserved: '已预留', paid: '已发放', receipts: '资金来源' }

/** The province of an organisation: national bodies keep their books under '00'. */
const provinceOf = (org: repo.LedgerOrg) => org.province_code

export async function postEntry(trx: Transaction<Database>, p: Principal, input: PostInput): Promise<{ id: string; provinceCode: string }> {
  if (input.lines.length < 2) throw new Error('a ledger entry needs at least two lines')
  if (input.lines.some((l) => l.amountFen === 0n)) throw new Error('a ledger line moves a non-zero amount')
  const total = input.lines.reduce((s, l) => s + l.amountFen, 0n)
  if (total !== 0n) throw new Error(`ledger entry does not balance: ${total} fen`)
  if (input.amountFen <= 0n) throw new Error('an entry moves a positive amount')

  // Resolve (and create) the accounts, then sum the lines per account.
  const resolved = []
  for (const l of input.lines) {
    const key = await repo.ensureAccount(trx, {
      provinceCode: provinceOf(l.account.org),
      orgId: l.account.org.id,
      regionCode: l.account.org.region_code,
      fundType: l.account.fundType,
      kind: l.account.kind,
      source: l.account.source ?? '',
    })
    resolved.push({ key, line: l })
  }
  const deltas = new Map<string, { key: { province_code: string; id: string }; delta: bigint; name: AccountName }>()
  for (const r of resolved) {
    const k = `${r.key.province_code}:${r.key.id}`
    const d = deltas.get(k) ?? { key: r.key, delta: 0n, name: r.line.account }
    d.delta += r.line.amountFen
    deltas.set(k, d)
  }
  const ordered = [...deltas.values()].sort((a, b) => (a.key.province_code + a.key.id).localeCompare(b.key.province_code + b.key.id))
  const locked = await repo.lockAccounts(
    trx,
    ordered.map((d) => d.key),
  )
  for (const [i, d] of ordered.entries()) {
    const balance = BigInt(locked[i]!.balance_fen)
    const after = balance + d.delta
    if (d.name.kind !== 'receipts' && after < 0n) {
      throw new AppError(
        'CONFLICT',
        text(
          `${d.name.org.name} has ${balance} fen ${d.name.kind} in ${d.name.fundType}; this needs ${-d.delta} fen`,
          `${d.name.org.name}${kindZh[d.name.kind]}余额不足：现有 ${balance} 分，本次需要 ${-d.delta} 分`,
        ),
        [{ field: 'amountFen', message: text(`short by ${-after} fen`, `差额 ${-after} 分`) }],
      )
    }
  }
  for (const d of ordered) if (d.delta !== 0n) await repo.addToBalance(trx, d.key, d.delta)

  const provinceCode = provinceOf(input.org)
  const entry = await repo.insertEntry(trx, {
    province_code: provinceCode,
    kind: input.kind,
    org_id: input.org.id,
    fund_type: input.fundType,
    amount_fen: input.amountFen,
    occurred_on: input.occurredOn,
    memo: input.memo ?? null,
    reference: input.reference ?? null,
    ref_kind: input.ref?.kind ?? null,
    ref_id: input.ref?.id ?? null,
    reverses_id: input.reversesId ?? null,
    created_by: p.userId,
    created_by_name: p.displayName,
  })
  await repo.insertLines(
    trx,
    resolved.map((r, i) => ({
      province_code: provinceCode,
      entry_id: entry.id,
      seq: i + 1,
      account_province_code: r.key.province_code,
      account_id: r.key.id,
      amount_fen: r.line.amountFen,
      created_at: entry.created_at,
    })),
  )
  await audit.record(trx, {
    actor: actorOf(p),
    action: `ledger.${input.kind}`,
    entityType: 'ledger_entry',
    entityId: entry.id,
    regionCode: input.org.region_code,
    after: {
      fundType: input.fundType,
      amountFen: input.amountFen.toString(),
      occurredOn: input.occurredOn,
      ...(input.ref ? { ref: input.ref } : {}),
      ...(input.reversesId ? { reversesId: input.reversesId } : {}),
      lines: input.lines.map((l) => ({ org: l.account.org.id, kind: l.account.kind, source: l.account.source ?? '', amountFen: l.amountFen.toString() })),
    },
    requestId: p.requestId,
  })
  return { id: entry.id, provinceCode }
}
