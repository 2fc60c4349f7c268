import { sql } from 'kysely'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { choose, type Harness, screenshotPath, signIn, startHarness } from './harness.ts'

// Issue 4's browser test: a case worker applies for 金秋助学 for a student member; the county and the
// city approvers (two people) approve it; the county publishes it; signed out, anyone sees it on the
// public page with the name masked and lodges an objection; the application is back in review.

let h: Harness
beforeAll(async () => {
  h = await startHarness({ households: true })
})
afterAll(async () => h?.close())

/** Approves, as `username`, the pending approval whose row names `fileNo`. */
async function approve(page: Page, username: string, fileNo: string, opinion: string): Promise<void> {
  await signIn(page, username)
  await page.goto('/approvals')
  const row = page.locator('tr', { hasText: fileNo })
  await row.waitFor()
  await row.locator('[data-testid^="approval-decide-"]').click()
  await page.getByTestId('decide-opinion').fill(opinion)
  await page.getByTestId('decide-ok').click()
  await expect.poll(() => page.locator('tr', { hasText: fileNo }).count()).toBe(0)
}

describe('金秋助学 from application to public posting', () => {
  it('applies, approves at two levels, posts, shows it masked to the public, and an objection sends it back to review', async () => {
    // A household of 中原区 on file with a college or senior student and no application yet (the demo leaves some).
    const found = await sql<{ id: string; file_no: string; name: string }>`
      SELECT h.id, h.file_no, m.name FROM household h
      JOIN household_member m ON m.province_code = h.province_code AND m.household_id = h.id
      WHERE h.region_code = '410102' AND h.status = 'verified' AND m.school_stage IN ('college', 'senior')
        AND NOT EXISTS (SELECT 1 FROM application a WHERE a.province_code = h.province_code AND a.household_id = h.id)
      ORDER BY h.file_no LIMIT 1`.execute(h.db)
    const target = found.rows[0]
    expect(target, 'the demo leaves a 中原区 household with a student and no application').toBeDefined()
    const { id, file_no: fileNo, name: student } = target!

    // ---- the case worker applies, for the student, after the pre-check
    const worker = await h.newPage()
    await signIn(worker.page, 'case_worker')
    await worker.page.goto(`/households/${id}?tab=applications`)
    await worker.page.getByTestId('application-new').click()
    await choose(worker.page, 'application-programme', '金秋助学')
    await choose(worker.page, 'application-members', student)
    await worker.page.keyboard.press('Escape')
    await worker.page.getByTestId('application-check').click()
    await worker.page.locator('.ant-modal .ant-alert-success').waitFor()
    await worker.page.screenshot({ path: screenshotPath('application-precheck') })
    await worker.page.getByTestId('application-submit').click()
    const status = worker.page.getByTestId('application-status').first()
    await expect.poll(() => status.textContent()).toBe('审批中')

    // ---- two levels, two people: the county approver, then the city approver
    const county = await h.newPage()
    await approve(county.page, 'county_approver', fileNo, '经审核，符合金秋助学条件')
    const city = await h.newPage()
    await approve(city.page, 'approver', fileNo, '同意资助')
    await worker.page.reload()
    await expect.poll(() => worker.page.getByTestId('application-status').first().textContent()).toBe('已批准，待公示')

    // ---- the county publishes it (among what waits), and the posting shows the name masked
    await county.page.goto('/postings')
    await county.page.getByTestId('posting-create').click()
    await county.page.getByTestId('posting-candidates').locator('tr', { hasText: fileNo }).waitFor()
    await county.page.getByTestId('posting-title').fill('E2E 金秋助学拟资助对象公示')
    await county.page.getByTestId('posting-publish').click()
    const items = county.page.getByTestId('posting-items')
    await items.waitFor()
    const masked = `${Array.from(student)[0]}${'*'.repeat(Array.from(student).length - 2)}${Array.from(student).at(-1)}`
    await expect.poll(() => items.textContent()).toContain(masked)
    expect(await items.textContent()).not.toContain(student)
    const postingUrl = county.page.url()
    await county.page.screenshot({ path: screenshotPath('posting-published') })

    // ---- signed out: the public page lists it with the name masked; an objection is lodged
    const visitor = await h.newPage()
    await visitor.page.goto('/public/postings')
    await visitor.page.getByTestId('pub-posting').filter({ hasText: 'E2E 金秋助学拟资助对象公示' }).click()
    const row = visitor.page.locator('tr', { hasText: masked })
    await row.waitFor()
    const publicText = await visitor.page.locator('body').innerText()
    expect(publicText).not.toContain(student)
    await row.locator('[data-testid^="pub-object-"]').click()
    await visitor.page.getByTestId('pub-objection-content').fill('该学生已于今年毕业参加工作，请核实。')
    await visitor.page.getByTestId('pub-objection-submit').click()
    await visitor.page.getByTestId('pub-receipt').waitFor()

    // ---- back in review: on the file, and with the reviewer, who sees the objection
    await worker.page.reload()
    await expect.poll(() => worker.page.getByTestId('application-status').first().textContent()).toBe('异议复核中')
    await worker.page.screenshot({ path: screenshotPath('application-objected') })
    await county.page.goto(postingUrl)
    await expect.poll(() => county.page.getByTestId('posting-items').textContent()).toContain('该学生已于今年毕业参加工作，请核实。')
    await county.page.screenshot({ path: screenshotPath('posting-objected') })
    for (const p of [worker, county, city, visitor]) await p.context.close()
  })
})
