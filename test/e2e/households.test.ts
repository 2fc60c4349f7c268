import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { choose, type Harness, screenshotPath, signIn, startHarness } from './harness.ts'

let h: Harness
beforeAll(async () => {
  h = await startHarness({ households: true })
})
afterAll(async () => h?.close())

/** A valid 18-character ID number registered in 中原区 (410102). */
function residentId(birth: string, sequence: string): string {
  const first17 = `410102${birth}${sequence}`
  return first17 + residentIdCheckChar(first17)
}

/** The same number with a wrong check character. */
function withWrongCheckChar(id: string): string {
  const wrong = '10X98765432'.split('').find((c) => c !== id.slice(-1))!
  return id.slice(0, 17) + wrong
}

const masked = (id: string) => `4101**********${id.slice(-4)}`

/** An antd Input.Search puts its test id on a wrapper in some versions, on the input in others. */
const textbox = (page: Page, testId: string) => page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first()

interface Member {
  name: string
  relation: string
  id: string
  phone?: string
  health: string
  work: string
  income: string
}

async function fillMember(page: Page, i: number, m: Member): Promise<void> {
  await page.getByTestId(`member-name-${i}`).fill(m.name)
  if (i > 0) await choose(page, `member-relation-${i}`, m.relation)
  await page.getByTestId(`member-id-${i}`).fill(m.id)
  if (m.phone) await page.getByTestId(`member-phone-${i}`).fill(m.phone)
  await choose(page, `member-health-${i}`, m.health)
  await choose(page, `member-work-${i}`, m.work)
  await page.getByTestId(`member-income-${i}`).fill(m.income)
}

const head: Member = { name: '张建国', relation: '户主', id: residentId('19800512', '123'), phone: '13812345678', health: '慢性病', work: '下岗', income: '950.5' }
const spouse: Member = { name: '李秀梅', relation: '配偶', id: residentId('19820307', '246'), health: '健康', work: '失业', income: '0' }

describe('household files', () => {
  it('a case worker files a household and sees it masked, and a bad ID stays on the form', async () => {
    const { context, page } = await h.newPage()
    await signIn(page, 'case_worker')
    await page.getByTestId('nav-households').click()
    await page.getByTestId('household-find-input').waitFor()
    await page.screenshot({ path: screenshotPath('households-case-worker') })

    await page.getByTestId('household-create').click()
    await page.getByTestId('household-form-address').fill('中原区建设路街道棉纺社区 3 号楼 2 单元 501')
    await fillMember(page, 0, head)
    await page.getByTestId('member-add').click()
    await fillMember(page, 1, spouse)
    await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0)
    await page.screenshot({ path: screenshotPath('household-new-form') })
    await page.getByTestId('household-submit').click()

    await page.getByTestId('household-file-no').waitFor()
    expect(page.url()).toMatch(/\/households\/[^/]+$/)
    const members = page.getByTestId('household-members')
    await expect.poll(() => members.textContent()).toContain(masked(head.id))
    const text = (await members.textContent()) ?? ''
    expect(text).toContain(masked(spouse.id))
    expect(text).not.toContain(head.id)
    expect(text).toContain('1980-05-12')
    expect(text).toContain('男')
    expect(text).toContain('女')
    expect(text).toContain('¥950.50')
    expect(text).toContain('慢性病')
    expect(await page.getByTestId('household-full-view').count()).toBe(0) // no pii.view
    await page.screenshot({ path: screenshotPath('household-detail-case-worker') })

    // A wrong check character is refused on that member's ID field, and the form stays.
    await page.goto('/households/new')
    await page.getByTestId('household-form-address').fill('中原区林山寨街道 8 号院')
    await fillMember(page, 0, { ...head, name: '王大力', id: residentId('19750101', '015'), phone: undefined })
    await page.getByTestId('member-add').click()
    await fillMember(page, 1, { ...spouse, name: '王小红', id: withWrongCheckChar(residentId('19770202', '028')) })
    await page.getByTestId('household-submit').click()
    const idError = page.locator('.ant-form-item', { has: page.getByTestId('member-id-1') }).locator('.ant-form-item-explain-error')
    await expect.poll(() => idError.textContent()).toContain('校验位')
    expect(page.url()).toContain('/households/new')
    expect(await page.locator('.ant-form-item', { has: page.getByTestId('member-id-0') }).locator('.ant-form-item-explain-error').count()).toBe(0)
    await page.screenshot({ path: screenshotPath('household-new-id-error') })

    // The same person cannot be filed twice: the refusal names where they are on file.
    await page.getByTestId('member-id-1').fill(spouse.id)
    await page.getByTestId('household-submit').click()
    await page.getByTestId('household-conflict').waitFor()
    expect(await page.getByTestId('household-conflict').textContent()).toContain('中原区')
    await expect.poll(() => idError.textContent()).toContain('已在')
    expect(page.url()).toContain('/households/new')
    await page.screenshot({ path: screenshotPath('household-new-conflict') })
    await context.close()
  })

  it('an approver finds the file by ID number and views it in full', async () => {
    const { context, page } = await h.newPage()
    await signIn(page, 'approver')
    await page.goto('/households')
    expect(await page.getByTestId('household-create').count()).toBe(0)

    await textbox(page, 'household-find-input').fill(residentId('19900101', '999'))
    await page.getByTestId('household-find-submit').click()
    await page.getByTestId('household-not-found').waitFor()
    await page.screenshot({ path: screenshotPath('households-not-found') })

    await textbox(page, 'household-find-input').fill(spouse.id)
    await page.getByTestId('household-find-submit').click()
    await page.getByTestId('household-file-no').waitFor()
    const members = page.getByTestId('household-members')
    await expect.poll(() => members.textContent()).toContain(masked(spouse.id))

    await page.getByTestId('household-full-view').click()
    await page.getByTestId('household-full-notice').waitFor()
    await expect.poll(() => members.textContent()).toContain(spouse.id)
    expect(await members.textContent()).toContain(head.id)
    expect(await members.textContent()).toContain('13812345678')
    await page.screenshot({ path: screenshotPath('household-detail-full-view') })
    await context.close()
  })

  it('the case worker submits the file, the city approver verifies it, it is listed masked and prints', async () => {
    const worker = await h.newPage()
    await signIn(worker.page, 'case_worker')
    await worker.page.goto('/households')
    await textbox(worker.page, 'household-find-input').fill(head.id)
    await worker.page.getByTestId('household-find-submit').click()
    await worker.page.getByTestId('household-file-no').waitFor()
    const fileNo = (await worker.page.getByTestId('household-file-no').textContent())!.trim()
    const householdUrl = worker.page.url()
    await worker.page.getByTestId('life-submit').click()
    await worker.page.getByTestId('life-ok').click()
    await expect.poll(() => worker.page.getByTestId('household-status').textContent()).toBe('待审核')
    await worker.page.screenshot({ path: screenshotPath('household-submitted') })

    // 郑州市's approver: the demo province verifies files in one city step.
    const approver = await h.newPage()
    await signIn(approver.page, 'approver')
    await approver.page.goto('/approvals')
    const row = approver.page.locator('tr', { hasText: fileNo })
    await row.waitFor()
    await approver.page.screenshot({ path: screenshotPath('approvals-inbox') })
    await row.locator('[data-testid^="approval-decide-"]').click()
    await approver.page.getByTestId('decide-opinion').fill('经核实，符合困难职工认定条件')
    await approver.page.getByTestId('decide-ok').click()
    await expect.poll(() => approver.page.locator('tr', { hasText: fileNo }).count()).toBe(0)

    await worker.page.goto(householdUrl)
    await expect.poll(() => worker.page.getByTestId('household-status').textContent()).toBe('在档')

    // The list: found by file number, its head's ID number masked, never in full.
    await worker.page.goto('/households')
    await textbox(worker.page, 'list-text').fill(fileNo)
    await textbox(worker.page, 'list-text').press('Enter')
    const list = worker.page.getByTestId('household-list')
    await expect.poll(() => list.textContent()).toContain(fileNo)
    const listed = (await list.textContent()) ?? ''
    expect(listed).toContain('在档')
    expect(listed).toContain(masked(head.id))
    expect(listed).not.toContain(head.id)
    await worker.page.screenshot({ path: screenshotPath('households-list-verified') })

    // The printable file (困难职工档案表).
    await worker.page.goto(`${householdUrl}/print`)
    const sheet = worker.page.getByTestId('household-print-sheet')
    await sheet.waitFor()
    await expect.poll(() => sheet.textContent()).toContain(fileNo)
    const printed = (await sheet.textContent()) ?? ''
    expect(printed).toContain('困难职工档案表')
    expect(printed).toContain(masked(spouse.id))
    expect(printed).not.toContain(spouse.id)
    await worker.page.emulateMedia({ media: 'print' })
    await worker.page.screenshot({ path: screenshotPath('household-print'), fullPage: true })
    await worker.context.close()
    await approver.context.close()
  })

  it('a case worker keeps a file on record: adds a measure and a visit, uploads evidence, and reads it all in the history', async () => {
    const { context, page } = await h.newPage()
    await signIn(page, 'case_worker')
    await page.goto('/households?status=verified')
    await page.getByTestId('list-file-link').first().click()
    await page.getByTestId('household-file-no').waitFor()
    const target = '推荐到辖区物业公司从事保洁工作'
    const findings = '户主已面试两家企业，家中老人病情稳定'

    await page.getByRole('tab', { name: '帮扶计划' }).click()
    await page.getByTestId('plan-add').click()
    await choose(page, 'plan-form-batch', '就业')
    await page.getByTestId('plan-form-target').fill(target)
    await page.getByTestId('plan-form-responsible').fill('刘干事')
    await textbox(page, 'plan-form-due').fill('2027-06-30')
    await textbox(page, 'plan-form-due').press('Enter')
    await page.getByTestId('plan-add-ok').click()
    await expect.poll(() => page.getByTestId('plan-table').textContent()).toContain(target)

    await page.getByRole('tab', { name: '走访记录' }).click()
    await page.getByTestId('visit-add').click()
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)
    await textbox(page, 'visit-form-date').fill(today)
    await textbox(page, 'visit-form-date').press('Enter')
    await page.getByTestId('visit-form-visitor').fill('刘干事')
    await page.getByTestId('visit-form-findings').fill(findings)
    await page.getByTestId('visit-ok').click()
    await expect.poll(() => page.getByTestId('visit-timeline').textContent()).toContain(findings)

    await page.getByRole('tab', { name: '证明材料' }).click()
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')
    await page.getByTestId('attachments-panel').locator('input[type=file]').setInputFiles({ name: '收入证明.png', mimeType: 'image/png', buffer: png })
    await expect.poll(() => page.getByTestId('attachments-table').textContent()).toContain('收入证明.png')
    await page.screenshot({ path: screenshotPath('household-attachments') })

    await page.getByRole('tab', { name: '变更记录' }).click()
    const history = page.getByTestId('history-panel')
    await expect.poll(() => history.textContent()).toContain('上传证明材料')
    const text = (await history.textContent()) ?? ''
    expect(text).toContain('新增帮扶措施')
    expect(text).toContain('走访')
    await page.screenshot({ path: screenshotPath('household-history') })
    await context.close()
  })
})
