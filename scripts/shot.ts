/**
 * Screenshot pages of a running server as a given user, to look at what was built:
 *   npx tsx scripts/shot.ts --base http://127.0.0.1:8080 --user case_worker --out /tmp/shots /households /households/new
 * Options: --password (default jiekun-demo), --lang zh-CN|en, --width 1366 --height 768, --full (whole page).
 * Each path is saved as <out>/<path with / → _>[-en].png. Waits for the network to go quiet.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { chromium } from 'playwright-core'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    base: { type: 'string', default: 'http://127.0.0.1:8080' },
    user: { type: 'string', default: 'case_worker' },
    password: { type: 'string', default: process.env.JIEKUN_DEMO_PASSWORD ?? 'jiekun-demo' },
    out: { type: 'string', default: 'test-results/shots' },
    lang: { type: 'string', default: 'zh-CN' },
    width: { type: 'string', default: '1366' },
    height: { type: 'string', default: '768' },
    full: { type: 'boolean', default: false },
  },
})

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
})
try {
  const context = await browser.newContext({ viewport: { width: Number(values.width), height: Number(values.height) }, locale: values.lang, baseURL: values.base })
  await context.addInitScript({ content: `localStorage.setItem('jk.lang', ${JSON.stringify(values.lang)})` })
  const page = await context.newPage()
  await page.goto('/login')
  await page.getByTestId('login-username').fill(values.user)
  await page.getByTestId('login-password').fill(values.password)
  await page.getByTestId('login-submit').click()
  await page.getByTestId('dashboard').waitFor()
  fs.mkdirSync(values.out, { recursive: true })
  for (const p of positionals.length ? positionals : ['/']) {
    await page.goto(p)
    await page.waitForLoadState('networkidle')
    await page.waitForTimeout(300)
    const name = (p.replace(/[/?=&]+/g, '_').replace(/^_|_$/g, '') || 'home') + (values.lang === 'en' ? '-en' : '')
    const file = path.join(values.out, `${name}.png`)
    await page.screenshot({ path: file, fullPage: values.full })
    console.log(file)
  }
} finally {
  await browser.close()
}
