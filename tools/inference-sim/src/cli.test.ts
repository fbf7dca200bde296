import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { FLAGS, flagTableMarkdown, parseCliArgs } from './cli-flags.js'
import { DEFAULT_FAULTS, resolveOptions } from './options.js'

describe('parseCliArgs', () => {
  it('maps flags to options and faults', () => {
    const { options, help } = parseCliArgs([
      '--port',
      '9000',
      '--max-seqs',
      '64',
      '--model',
      'a',
      '--model',
      'b',
      '--time-scale',
      '0.01',
      '--error-rate',
      '0.1',
      '--retry-after',
      '2',
      '--max-waiting',
      '5',
      '--host',
      '0.0.0.0',
    ])
    expect(help).toBe(false)
    expect(options).toEqual({
      port: 9000,
      maxSeqs: 64,
      models: ['a', 'b'],
      timeScale: 0.01,
      host: '0.0.0.0',
      faults: { errorRate: 0.1, retryAfterSeconds: 2, maxWaiting: 5 },
    })
    expect(() => resolveOptions(options)).not.toThrow()
  })

  it('listens on 8000 by default, like vllm serve', () => {
    expect(parseCliArgs([]).options.port).toBe(8000)
  })

  it('accepts --max-waiting none and --help', () => {
    expect(parseCliArgs(['--max-waiting', 'none']).options.faults).toEqual({ maxWaiting: null })
    expect(parseCliArgs(['--help']).help).toBe(true)
  })

  it('rejects unknown flags and non-numbers with DATAFLOW_USAGE', () => {
    expect(() => parseCliArgs(['--max-seq', '4'])).toThrow(expect.objectContaining({ code: 'DATAFLOW_USAGE' }) as Error)
    expect(() => parseCliArgs(['--max-seqs', 'many'])).toThrow(/--max-seqs needs a number/)
  })

  it('leaves range checks to resolveOptions, which names the option', () => {
    expect(() => resolveOptions(parseCliArgs(['--max-seqs', '0']).options)).toThrow(/maxSeqs must be an integer >= 1/)
    expect(() => resolveOptions(parseCliArgs(['--error-rate', '1.5']).options)).toThrow(/faults.errorRate/)
  })

  it('has a flag for every fault', () => {
    const faults = FLAGS.flatMap((f) => ('fault' in f.target ? [f.target.fault] : []))
    expect(new Set(faults)).toEqual(new Set(Object.keys(DEFAULT_FAULTS)))
  })

  it('README flags table is the generated one', () => {
    const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8')
    const table = /<!-- flags:start -->\n([\s\S]*?)\n<!-- flags:end -->/.exec(readme)?.[1]
    expect(
      table,
      'README.md needs the table between <!-- flags:start --> and <!-- flags:end -->; paste flagTableMarkdown()',
    ).toBe(flagTableMarkdown())
  })
})

describe('dataflow-sim binary', () => {
  it('prints one line with the URL and the simulator banner, and exits cleanly on SIGTERM', async () => {
    const bin = fileURLToPath(new URL('./bin.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', bin, '--port', '0', '--max-seqs', '4'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    const firstLine = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!)
      })
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${stdout}`)))
    })
    expect(firstLine).toMatch(
      /^dataflow-sim listening on http:\/\/127\.0\.0\.1:\d+\/v1 \(TEST DOUBLE simulating vLLM: no model runs, answers are simulated;/,
    )
    const url = /http:\/\/\S+\/v1/.exec(firstLine)![0]
    const models = (await (await fetch(`${url}/models`)).json()) as { data: unknown[] }
    expect(models.data).toHaveLength(1)
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    child.kill('SIGTERM')
    expect(await exit).toBe(0)
  }, 20_000)
})
