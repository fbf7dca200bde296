import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './run-cli.js'
import { REPO, readJson, startCapflowServers, tempDir } from './support.js'

/** Debian's chromium, as .ci/run installs it. */
const CHROMIUM = process.env['DATAFLOW_CHROMIUM'] ?? '/usr/bin/chromium'
const SECTIONS = [
  'summary',
  'graph',
  'funnel',
  'throughput',
  'endpoints',
  'latency',
  'cost',
  'distributions',
  'gallery',
  'errors',
]

interface Report {
  input: number
  expected: number
  outcomes: { ok: number; rejected: number; error: number; interrupted: number }
  nodes: Record<
    string,
    { done: number; reused: number; skipped: number; rejected: number; failed: number; error: number }
  >
  errorsByCode: Record<string, number>
  inference: { models: Record<string, { requests: number }> }
}

describe('report.html of a CapFlow run, opened in headless Chromium', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let servers: Awaited<ReturnType<typeof startCapflowServers>>
  let browser: Browser
  beforeAll(async () => {
    dir = await tempDir()
    servers = await startCapflowServers()
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    })
  })
  afterAll(async () => {
    await browser?.close()
    await servers.close()
    await dir.remove()
  })

  it("renders every section with the run's numbers and no console error", async () => {
    const out = join(dir.path, 'run')
    const result = await runCli(
      ['run', join(REPO, 'pipelines/capflow.yaml'), '--out', out, '--quiet', '--max-error-rate', '0.2'],
      servers.env,
    )
    expect(result.code, result.stderr).toBe(0)
    const html = join(out, 'report.html')
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(`report: ${html}`)
    const report = await readJson<Report>(join(out, 'report.json'))

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('request', (request) => {
      if (!request.url().startsWith('file:') && !request.url().startsWith('data:'))
        problems.push(`fetched ${request.url()}`)
    })
    await page.goto(`file://${html}`)

    for (const id of SECTIONS) {
      const box = await page.locator(`section#${id}`).boundingBox()
      expect(box && box.height, id).toBeGreaterThan(40)
    }
    const { ok, rejected, error, interrupted } = report.outcomes
    expect(await page.locator('dd[data-field="items"]').innerText()).toBe(`${report.input} of ${report.expected}`)
    expect(await page.locator('dd[data-field="kept / rejected / error / interrupted"]').innerText()).toBe(
      `${ok} / ${rejected} / ${error} / ${interrupted}`,
    )
    expect(await page.locator('table.outcomes tbody td').allInnerTexts()).toEqual(
      [ok, rejected, error, interrupted].map(String),
    )
    // The graph draws each node with its counts; the judge's rejections are the funnel's.
    for (const [node, counts] of Object.entries(report.nodes))
      expect(await page.locator(`svg.graph g.node[data-node="${node}"] text.small`).first().textContent(), node).toBe(
        `ok ${counts.done + counts.reused} · skip ${counts.skipped} · rej ${counts.rejected} · fail ${counts.failed + counts.error}`,
      )
    const rejecting = Object.entries(report.nodes).filter(([, counts]) => counts.rejected > 0)
    expect(rejecting.map(([node]) => node)).toContain('judge')
    expect(rejecting.reduce((sum, [, counts]) => sum + counts.rejected, 0)).toBe(rejected)
    const funnel = await page.locator('#funnel').innerText()
    for (const [node] of rejecting) expect(funnel).toContain(`rejected by ${node}`)
    // Charts are drawn (SVG with shapes), the router's domains and the judge's scores are counted.
    expect(await page.locator('#throughput svg.chart polyline, #throughput svg.chart path').count()).toBeGreaterThan(0)
    expect(await page.locator('#endpoints svg.chart').count()).toBe(2)
    expect(await page.locator('#latency svg.chart').count()).toBeGreaterThanOrEqual(
      Object.keys(report.nodes).length - 1,
    )
    expect(await page.locator('#distributions').innerText()).toMatch(/route\.domain/)
    expect(await page.locator('#distributions').innerText()).toMatch(/judge\./)
    const requests = Object.values(report.inference.models).reduce((sum, model) => sum + model.requests, 0)
    const usage = await page.locator('#cost table').nth(1).locator('tbody tr td:nth-child(3)').allInnerTexts()
    expect(usage.reduce((sum, cell) => sum + Number(cell.replace(/,/g, '')), 0)).toBe(requests)
    // Gallery: every kept and rejected item of this small run, with thumbnails that decoded.
    expect(await page.locator('article.card.ok').count()).toBe(Math.min(24, ok))
    expect(await page.locator('article.card.rejected').count()).toBe(Math.min(24, rejected))
    // Thumbnails decoded, each about 112 x 112 pixels of area (the page's size bound).
    const decoded = await page
      .locator('article.card img')
      .evaluateAll((images) =>
        (images as unknown as Array<{ naturalWidth: number; naturalHeight: number }>).map(
          (image) => image.naturalWidth * image.naturalHeight,
        ),
      )
    expect(decoded.length).toBeGreaterThan(0)
    expect(
      decoded.every((pixels) => pixels > 0 && pixels <= 112 * 112),
      String(decoded),
    ).toBe(true)
    // Errors grouped by code, as report.json counts them.
    for (const [code, count] of Object.entries(report.errorsByCode))
      expect(await page.locator(`.error-group[data-code="${code}"] .count`).innerText()).toBe(String(count))
    expect(problems).toEqual([])

    const screenshot = join(dir.path, 'report.png')
    await page.screenshot({ path: screenshot, fullPage: true })
    expect((await stat(screenshot)).size).toBeGreaterThan(50_000)
    await page.close()
  })
})
