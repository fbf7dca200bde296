import { mkdtemp, mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createPromptLoader } from './prompt.js'

describe('createPromptLoader', () => {
  it('reads built-in prompts, inline settings and prompt files next to the pipeline', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prompts-'))
    await mkdir(join(dir, 'prompts'))
    await writeFile(join(dir, 'prompts', 'ocr.md'), '  Transcribe all text.\n')
    await writeFile(join(dir, 'mine.md'), 'My prompt {{domain}}\n')
    const load = createPromptLoader(pathToFileURL(join(dir, 'prompts') + '/'), {
      resolvePath: (path) => resolve(dir, path),
    })
    expect(await load(undefined, 'ocr', 'prompt')).toBe('Transcribe all text.')
    expect(await load('Describe the chart.', 'ocr', 'prompt')).toBe('Describe the chart.')
    expect(await load('mine.md', 'ocr', 'prompt')).toBe('My prompt {{domain}}')
    await expect(load('missing.md', 'ocr', 'system')).rejects.toMatchObject({
      code: 'DATAFLOW_CONFIG_INVALID',
      message: expect.stringContaining('system: cannot read prompt file'),
    })
    expect(await load('Two lines\nending in notes.md', 'ocr', 'prompt')).toBe('Two lines\nending in notes.md')
  })
})
