import fs from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { choose, type Harness, screenshotPath, signIn, startHarness } from './harness.ts'

// Issue 5's browser test: the fund manager runs the monthly cycle of 送温暖常态化生活补贴 for the demo
// county (中原区); the county and the city approvers approve it in their inboxes (the last approval
// reserves the money); the bank file is exported and downloaded; the bank's results come back with one
// failure; the cycle is 部分失败, the failed line shows its reason and the reconciliation balances.

let h: Harness
beforeAll(async () => {
  h = await startHarness({ households: true })
})
afterAll(async () => h?.close())

const ORG = '郑州中原区总工会'
const PROGRAMME = '送温暖常态化生活补贴（按月）'
const PERIOD = '2026-11'
const REASON = '账户已销户'

const status = (page: Page) => page.getByTestId('pay-status').first().getAttribute('data-status')

/** Approves, as `username`, the pending approval of the cycle (its row names the programme and period). */
async function approve(page: Page, username: string): Promise<void> {
  await signIn(page, username)
  await page.goto('/approvals')
  const row = page.locator('tr', { hasText: `${PROGRAMME}（${PERIOD}）` })
  await row.waitFor()
  await row.locator('[data-testid^="approval-decide-"]').click()
  await page.getByTestId('decide-opinion').fill('同意发放')
  await page.getByTestId('decide-ok').click()
  await expect.poll(() => page.locator('tr', { hasText: `${PROGRAMME}（${PERIOD}）` }).count()).toBe(0)
}

/** A CSV line, quoting what needs it. */
const csvLine = (cells: string[]) => cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')

describe('a monthly payment cycle from generation to bank results', () => {
  it('generates, is approved by two people, exports the bank file, imports results with one failure and shows it', async () => {
    const orgId = await h.findOrgId(ORG)

    // ---- money for the county: a receipt into its hardship fund
    const manager = await h.newPage()
    const { page } = manager
    await signIn(page, 'fund_manager')
    const { csrfToken } = (await (await page.request.get('/api/auth/me')).json()) as { csrfToken: string }
    const receipt = await page.request.post('/api/funds/receipts', {
      headers: { 'x-csrf-token': csrfToken },
      data: { orgId, fundType: 'hardship_fund', source: 'local_finance', amountFen: '10000000' },
    })
    expect(receipt.status(), await receipt.text()).toBe(201)

    // ---- the fund manager creates the cycle and follows its generation
    await page.getByTestId('nav-payments').click()
    await page.getByTestId('pay-create').click()
    await page.getByTestId('pay-new-org').click()
    await page.keyboard.type('中原区总工会')
    await page.locator('.ant-select-item-option:visible', { hasText: ORG }).first().click()
    await choose(page, 'pay-new-programme', PROGRAMME)
    await page.getByTestId('pay-new-period').fill(PERIOD)
    await page.getByTestId('pay-new-ok').click()
    await page.getByTestId('pay-new-progress').waitFor()
    await page.waitForURL(/\/payments\/[0-9a-f-]{36}$/, { timeout: 60_000 })
    const cycleUrl = new URL(page.url()).pathname
    await expect.poll(() => status(page)).toBe('draft')
    const total = (await page.getByTestId('pay-total').textContent()) ?? ''
    expect(total).toMatch(/^[\d,]+\.\d{2} 元$/)
    expect(total).not.toBe('0.00 元')
    await page.getByTestId('pay-line-1').waitFor()
    await page.screenshot({ path: screenshotPath('payments-draft') })

    // ---- a second cycle for the same period is refused on the period field
    await page.goto('/payments')
    await page.getByTestId('pay-create').click()
    await page.getByTestId('pay-new-org').click()
    await page.keyboard.type('中原区总工会')
    await page.locator('.ant-select-item-option:visible', { hasText: ORG }).first().click()
    await choose(page, 'pay-new-programme', PROGRAMME)
    await page.getByTestId('pay-new-period').fill(PERIOD)
    await page.getByTestId('pay-new-ok').click()
    await expect.poll(() => page.locator('#pay-new_period_help').textContent()).toContain('已有发放批次')
    await page.keyboard.press('Escape')

    // ---- submitted for approval
    await page.goto(cycleUrl)
    await page.getByTestId('pay-submit').click()
    await page.getByTestId('pay-submit-opinion').fill('11 月常态化生活补贴')
    await page.getByTestId('pay-submit-ok').click()
    await expect.poll(() => status(page)).toBe('submitted')
    await page.getByTestId('pay-approval').waitFor()
    // the supervision scan the submission queued runs first; the page says so until it has finished
    await page.getByTestId('pay-scanning').waitFor({ state: 'detached', timeout: 20_000 })

    // ---- the scan found the demo's one bank account on two households; the fund manager acknowledges one
    await page.getByTestId('pay-flags-link').click()
    const shared = page.locator('tr', { has: page.locator('[data-testid="flag-kind"][data-kind="shared_account"]') })
    await shared.first().waitFor()
    expect(await shared.count()).toBe(2)
    await page.screenshot({ path: screenshotPath('payments-flags') })
    await shared.first().locator('[data-testid^="flag-ack-"]').click()
    await page.getByTestId('flag-decide-note').fill('已核实：借用邻居银行卡，已通知改用本人账户')
    await page.getByTestId('flag-decide-ok').click()
    // the row stays in view with its new status and the note
    const acknowledged = shared.filter({ has: page.locator('[data-testid="flag-status"][data-status="acknowledged"]') })
    await expect.poll(() => acknowledged.count()).toBe(1)
    expect(await acknowledged.getByTestId('flag-note').textContent()).toContain('借用邻居银行卡')

    // ---- the county approver, then the city approver (two people), approve it
    const checker = await h.newPage()
    await approve(checker.page, 'county_approver')
    await checker.context.clearCookies()
    await approve(checker.page, 'approver')
    await checker.context.close()

    // ---- approved: the money is reserved; export the bank file and download it
    await page.goto(cycleUrl)
    await expect.poll(() => status(page)).toBe('approved')
    await page.getByTestId('pay-export').click()
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('exported')
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('pay-download-csv').click()])
    const csv = fs.readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '')
    const rows = csv.trim().split(/\r?\n/).map((l) => l.split(','))
    expect(rows[0]).toEqual(['参考号', '户名', '开户行', '账号', '金额（元）'])
    const body = rows.slice(1)
    expect(body.length).toBeGreaterThan(1)
    for (const r of body) expect(r[4]).toMatch(/^\d+\.\d{2}$/)

    // ---- the bank's results: the first line failed, the others paid
    const results = [
      csvLine(['参考号', '结果', '失败原因', '银行流水号']),
      ...body.map((r, i) => csvLine(i === 0 ? [r[0]!, '失败', REASON, ''] : [r[0]!, '成功', '', `BK${String(i).padStart(6, '0')}`])),
    ].join('\r\n')
    await page.locator('input[type="file"]').setInputFiles({ name: '银行回盘.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${results}\r\n`, 'utf8') })
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('partly_failed')
    expect(await page.getByTestId('pay-failed').textContent()).toMatch(/^1 户/)

    // ---- the failed line, with its reason, and a balanced reconciliation
    await page.getByTestId('pay-lines-filter').getByText('失败').click()
    const failed = page.locator('[data-testid^="pay-line-"][data-status="failed"]')
    await expect.poll(() => failed.count()).toBe(1)
    expect(await failed.textContent()).toContain(REASON)
    await expect.poll(() => page.getByTestId('pay-rec-balanced').getAttribute('data-balanced')).toBe('true')
    await page.screenshot({ path: screenshotPath('payments-partly-failed'), fullPage: true })

    // ---- the balances: nothing left reserved, paid what the bank paid, the failed amount back in the fund
    const cycleId = new URL(page.url()).pathname.split('/').pop()!
    const cycle = (await (await page.request.get(`/api/payments/cycles/${cycleId}`)).json()) as { paidFen: string; failedFen: string }
    const yuan = (fen: string) => `${(BigInt(fen) / 100n).toLocaleString('en-US')}.${(BigInt(fen) % 100n).toString().padStart(2, '0')}`
    await page.goto('/funds')
    const row = page.getByTestId('fund-overview-table').locator('tr', { hasText: ORG })
    await row.first().waitFor()
    await expect.poll(() => row.first().textContent()).toContain(yuan(cycle.paidFen))
    const text = (await row.first().textContent()) ?? ''
    expect(BigInt(cycle.failedFen)).toBeGreaterThan(0n)
    expect(text).toContain('0.00')
    await page.screenshot({ path: screenshotPath('funds-after-cycle'), fullPage: true })
    await manager.context.close()
  })
})
