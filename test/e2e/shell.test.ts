import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, type Harness, screenshotPath, signIn, startHarness } from './harness.ts'

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(async () => h?.close())

/** Opens a page under 系统管理 through the menu, expanding the group when it is folded. */
async function openAdmin(page: Page, item: string): Promise<void> {
  if (!(await page.getByTestId(item).isVisible())) await page.getByTestId('nav-admin').click()
  const before = page.url()
  await page.getByTestId(item).click()
  await page.waitForURL((url) => url.href !== before)
}

describe('a case worker', () => {
  it('signs in, moves through the shell, switches language and signs out', async () => {
    const { context, page } = await h.newPage()
    await page.goto('/')
    await page.getByTestId('login-username').waitFor() // sent to sign-in first
    await page.screenshot({ path: screenshotPath('login') })

    await page.getByTestId('login-username').fill('case_worker')
    await page.getByTestId('login-password').fill('wrong-password')
    await page.getByTestId('login-submit').click()
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('用户名或密码错误')

    await page.getByTestId('login-password').fill(DEMO_PASSWORD)
    await page.getByTestId('login-submit').click()
    await page.getByTestId('dashboard').waitFor()
    expect(await page.getByTestId('dashboard').textContent()).toContain('河南省 郑州市 中原区')
    await page.screenshot({ path: screenshotPath('dashboard-case-worker') })

    // Areas the role may see are in the menu; administration is not.
    await page.getByTestId('nav-households').click()
    await page.getByTestId('household-find-input').waitFor()
    expect(page.url()).toContain('/households')
    expect(await page.getByTestId('nav-funds').count()).toBe(0)
    expect(await page.getByTestId('nav-admin-users').count()).toBe(0)

    await page.getByTestId('lang-en').click()
    await expect.poll(() => page.getByTestId('nav-households').textContent()).toMatch(/[A-Za-z]/)
    await page.getByTestId('lang-zh-CN').click()
    await expect.poll(() => page.getByTestId('nav-households').textContent()).toContain('困难职工档案')

    await page.getByTestId('user-menu').click()
    await page.getByTestId('logout').click()
    await page.getByTestId('login-username').waitFor()
    await page.goto('/')
    await page.getByTestId('login-username').waitFor() // the session is gone
    await context.close()
  })

  it('sees only their own county', async () => {
    const { context, page } = await h.newPage()
    await signIn(page, 'case_worker')
    await openAdmin(page, 'nav-admin-orgs')
    await page.getByTestId('org-tree').waitFor()
    await expect.poll(() => page.getByTestId('org-tree').textContent()).toContain('中原区')
    expect(await page.getByTestId('org-tree').textContent()).not.toContain('二七区')
    await page.screenshot({ path: screenshotPath('orgs-case-worker') })

    // Even asked for directly, a record of the neighbouring county answers like a missing one.
    const erqi = await h.findOrgId('郑州二七区总工会')
    const status = await page.evaluate(async (id) => (await fetch(`/api/orgs/${id}`)).status, erqi)
    expect(status).toBe(404)
    await context.close()
  })
})

describe('a person who asked their system for less motion', () => {
  it('gets menus that open at once, and others get them sliding', async () => {
    // Whether 系统管理's items are still sliding in the frame after the click opened it.
    const slidingAfterOpening = async (reducedMotion: 'reduce' | 'no-preference') => {
      const { context, page } = await h.newPage(undefined, reducedMotion)
      await signIn(page, 'province_admin')
      const sliding = await page.evaluate(`new Promise((resolve) => {
        document.querySelector('[data-testid="nav-admin"]').click()
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(document.querySelector('[data-testid="nav"] .ant-motion-collapse') !== null)))
      })`)
      await context.close()
      return sliding
    }
    expect(await slidingAfterOpening('no-preference')).toBe(true)
    expect(await slidingAfterOpening('reduce')).toBe(false)
  })
})

describe('an inspector', () => {
  it('verifies the audit chain as a job and sees it intact', async () => {
    const { context, page } = await h.newPage()
    await signIn(page, 'inspector')
    await openAdmin(page, 'nav-admin-audit')
    await page.getByTestId('audit-verify').click()
    const result = page.getByTestId('audit-verify-result')
    await result.waitFor()
    expect(await result.getAttribute('data-ok')).toBe('true')
    expect(await result.textContent()).toContain('审计链完整')
    await page.screenshot({ path: screenshotPath('audit-verified') })
    await context.close()
  })
})

describe('an administrator', () => {
  it('creates a user who can then sign in', async () => {
    const { context, page } = await h.newPage()
    await signIn(page, 'province_admin')
    await openAdmin(page, 'nav-admin-users')
    await page.getByTestId('user-row-case_worker').waitFor()
    await page.screenshot({ path: screenshotPath('users-admin') })

    await page.getByTestId('users-create').click()
    await page.getByTestId('user-form-username').fill('liu.yang')
    await page.getByTestId('user-form-displayName').fill('刘洋')
    await page.getByTestId('user-form-org').click()
    await page.locator('.ant-select-tree-title', { hasText: '河南省总工会' }).first().click()
    await page.getByTestId('user-form-roles').click()
    await page.locator('.ant-select-item-option', { hasText: '帮扶工作人员' }).first().click()
    await page.keyboard.press('Escape')
    await page.getByTestId('user-form-password').fill('liu-yang-pass-1')
    await page.screenshot({ path: screenshotPath('users-create-form') })
    await page.getByTestId('user-form-submit').click()
    await page.getByTestId('user-row-liu.yang').waitFor()
    expect(await page.getByTestId('user-row-liu.yang').textContent()).toContain('刘洋')
    await context.close()

    const second = await h.newPage()
    await signIn(second.page, 'liu.yang', 'liu-yang-pass-1')
    expect(await second.page.getByTestId('dashboard').textContent()).toContain('刘洋')
    await second.context.close()
  })

  it('works on a tablet', async () => {
    const { context, page } = await h.newPage({ width: 768, height: 1024 })
    await signIn(page, 'province_admin')
    await page.goto('/admin/orgs')
    await page.getByTestId('org-tree').waitFor()
    await page.screenshot({ path: screenshotPath('orgs-tablet') })
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')
    expect(overflow).toBeLessThanOrEqual(0)
    await context.close()
  })
})
