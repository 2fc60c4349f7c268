import type { APIRequestContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, type Harness, screenshotPath, startHarness } from './harness.ts'

// The public, no-login posting pages (公示公告, issue 4 §4, domain.md §11): a staff member of the
// 中原区 county union publishes an approved application, then anyone, signed out, reads the
// posting, sees masked names and ID numbers only, and lodges an objection with a receipt.

let h: Harness
beforeAll(async () => {
  h = await startHarness({ households: true })
})
afterAll(async () => h?.close())

interface Staff {
  request: APIRequestContext
  csrf: string
}

/** A signed-in API client: the context's cookie jar holds the session, writes carry the CSRF token. */
async function signInApi(request: APIRequestContext, username: string): Promise<Staff> {
  const res = await request.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } })
  expect(res.status(), await res.text()).toBe(200)
  return { request, csrf: ((await res.json()) as { csrfToken: string }).csrfToken }
}

interface Member {
  name: string
  idNumber: string
  phone: string | null
}

describe('public postings', () => {
  it('shows a published posting to anyone signed out, masked, and takes an objection with a receipt', async () => {
    // ---- a county approver publishes one approved application (demo data has some waiting)
    const staffCtx = (await h.newPage()).context
    const staff = await signInApi(staffCtx.request, 'county_approver')
    const candidates = await staff.request.get('/api/postings/candidates?kind=application')
    expect(candidates.status()).toBe(200)
    const candidate = ((await candidates.json()) as { items: { subjectId: string }[] }).items[0]
    expect(candidate, 'demo data leaves an approved application to post').toBeDefined()
    const title = 'E2E 金秋助学拟资助对象公示'
    const published = await staff.request.post('/api/postings', {
      headers: { 'x-csrf-token': staff.csrf },
      data: { kind: 'application', title, subjectIds: [candidate!.subjectId] },
    })
    expect(published.status(), await published.text()).toBe(201)
    const posting = (await published.json()) as { id: string; items: { id: string; householdId: string; maskedName: string; maskedId: string; amountFen: string | null }[] }
    const item = posting.items[0]!

    // ---- everything personal about the posted household, read in full by a staff member with pii.view
    const file = await staff.request.get(`/api/households/${item.householdId}?full=true`)
    expect(file.status()).toBe(200)
    const household = (await file.json()) as { fullView: boolean; address: string; bankAccount: string | null; members: Member[] }
    expect(household.fullView).toBe(true)
    const personal = [household.address, ...(household.bankAccount ? [household.bankAccount] : [])]
    for (const m of household.members) personal.push(m.name, m.idNumber, ...(m.phone ? [m.phone] : []))
    expect(personal.length).toBeGreaterThan(2)
    await staffCtx.close()

    // ---- signed out: the login page links to the public list, which links to the posting
    const { context, page } = await h.newPage()
    await page.goto('/login')
    await page.getByTestId('login-public-postings').click()
    await page.getByTestId('pub-postings').waitFor()
    await expect.poll(() => page.url()).toContain('/public/postings')
    const card = page.getByTestId('pub-posting').filter({ hasText: title })
    await card.waitFor()
    await page.screenshot({ path: screenshotPath('public-postings') })
    await card.click()
    await page.getByTestId('pub-posting-heading').filter({ hasText: title }).waitFor()
    await page.getByTestId('pub-object-1').waitFor()
    await page.screenshot({ path: screenshotPath('public-posting') })

    // masked name and ID, the amount in yuan; nothing personal in full
    const text = await page.locator('body').innerText()
    expect(text).toContain(item.maskedName)
    expect(text).toContain(item.maskedId)
    if (item.amountFen !== null) expect(text).toContain(`${(BigInt(item.amountFen) / 100n).toLocaleString('en-US')}.${(BigInt(item.amountFen) % 100n).toString().padStart(2, '0')}`)
    for (const secret of personal) expect(text, 'a full personal detail on the public page').not.toContain(secret)
    const html = await page.content()
    for (const secret of personal) expect(html).not.toContain(secret)

    // ---- an objection: too short is refused on the form, then accepted with a receipt
    await page.getByTestId('pub-object-1').click()
    await page.getByTestId('pub-objection-content').fill('不对')
    await page.getByTestId('pub-objection-submit').click()
    await page.locator('.ant-form-item-explain-error').first().waitFor()
    await page.getByTestId('pub-objection-content').fill('该户子女已参加工作，不在读，请核实。')
    await page.getByTestId('pub-objection-submit').click()
    await page.getByTestId('pub-receipt').waitFor()
    expect(await page.getByTestId('pub-receipt-time').innerText()).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/)
    await page.screenshot({ path: screenshotPath('public-posting-objection-receipt') })
    // still signed out: the public pages never sent the visitor to the login page
    expect(page.url()).toContain(`/public/postings/${posting.id}`)

    // one source sending too many (3 an hour to one item): the modal says so and keeps the text
    for (let i = 0; i < 2; i++) {
      const res = await context.request.post(`/api/public/postings/${posting.id}/items/${item.id}/objections`, { data: { content: `第 ${i + 2} 条异议内容。` } })
      expect(res.status(), await res.text()).toBe(201)
    }
    await page.getByTestId('pub-receipt-close').click()
    await page.getByTestId('pub-object-1').click()
    await page.getByTestId('pub-objection-content').fill('再次反映：该户情况与公示不符。')
    await page.getByTestId('pub-objection-submit').click()
    await expect.poll(() => page.getByTestId('pub-objection-error').innerText()).toContain('提交过于频繁')
    expect(await page.getByTestId('pub-objection-content').inputValue()).toBe('再次反映：该户情况与公示不符。')
    await context.close()

    // ---- the objection reached the publishing organisation
    const reviewCtx = (await h.newPage()).context
    const reviewer = await signInApi(reviewCtx.request, 'county_approver')
    const detail = await reviewer.request.get(`/api/postings/${posting.id}`)
    expect(detail.status()).toBe(200)
    const objections = ((await detail.json()) as { items: { objections: { content: string }[] }[] }).items[0]!.objections
    expect(objections.map((o) => o.content)).toContain('该户子女已参加工作，不在读，请核实。')
    expect(objections).toHaveLength(3)
    await reviewCtx.close()
  })

  it('reads well on a phone, in English too', async () => {
    const { context, page } = await h.newPage({ width: 390, height: 844 })
    await context.addInitScript({ content: `localStorage.setItem('jk.lang', 'en')` })
    await page.goto('/public/postings')
    await page.getByTestId('pub-posting').first().click()
    await page.getByTestId('pub-item').first().waitFor()
    expect(await page.locator('body').innerText()).toContain('Object')
    // nothing wider than the screen
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
    await page.screenshot({ path: screenshotPath('public-posting-phone-en'), fullPage: true })
    await context.close()
  })
})
