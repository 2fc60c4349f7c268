import type { Database, Kysely } from '../db/database.ts'
import * as audit from '../modules/audit/audit.service.ts'

/**
 * Demo local standards for 河南 (domain.md §4), in fen per month: the province's line and
 * minimum wage (first tier), and 郑州市's own, higher 低保 line. The figures are close to the
 * published ones of 2025–2026 (urban 低保 about 720 yuan, minimum wage tier 1 2200 yuan; 失业保险金
 * 90 % of the minimum wage), enough to make the classification meaningful; not an official source.
 */
export const demoStandards = [
  { region_code: '410000', effective_from: '2025-01-01', dibao_line_fen: 69_000n, min_wage_fen: 210_000n, laid_off_allowance_fen: 189_000n, note: '河南省城市低保指导标准（演示数据）' },
  { region_code: '410000', effective_from: '2026-01-01', dibao_line_fen: 72_000n, min_wage_fen: 220_000n, laid_off_allowance_fen: 198_000n, note: '河南省城市低保指导标准、一类最低工资（演示数据）' },
  { region_code: '410100', effective_from: '2026-01-01', dibao_line_fen: 80_000n, min_wage_fen: 220_000n, laid_off_allowance_fen: 198_000n, note: '郑州市城市低保标准（演示数据）' },
] as const

/** Adds the demo standards (default multiples: deep < 1 ×, relative < 2 × the line, accident > 80 %); idempotent. */
export async function seedStandards(db: Kysely<Database>): Promise<{ standards: number }> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .insertInto('local_standard')
      .values(demoStandards.map((s) => ({ ...s, created_by: null, applied_on: s.effective_from })))
      .onConflict((oc) => oc.columns(['region_code', 'effective_from']).doNothing())
      .returning(['id', 'region_code', 'effective_from'])
      .execute()
    for (const r of rows) {
      await audit.record(trx, {
        actor: audit.systemActor,
        action: 'standard.create',
        entityType: 'local_standard',
        entityId: r.id,
        regionCode: r.region_code,
        after: { regionCode: r.region_code, effectiveFrom: r.effective_from, seed: 'demo' },
      })
    }
    return { standards: rows.length }
  })
}
