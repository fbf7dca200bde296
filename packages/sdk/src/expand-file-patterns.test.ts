import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expandFilePatterns } from './expand-file-patterns.js'

let dir: string
const options = () => ({ resolvePath: (path: string) => resolve(dir, path), what: 'tar shards', field: 'shards' })

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'expand-'))
  await mkdir(join(dir, 'shards'))
  for (const name of ['00000.tar', '00001.tar', '00002.tar', '00010.tar', 'notes.txt'])
    await writeFile(join(dir, 'shards', name), 'x')
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('expandFilePatterns', () => {
  it('expands zero-padded brace ranges in order', async () => {
    expect(await expandFilePatterns('shards/{00000..00002}.tar', options())).toEqual(
      ['00000', '00001', '00002'].map((stem) => join(dir, 'shards', `${stem}.tar`)),
    )
  })

  it('expands globs sorted by name, and lists, keeping each file once', async () => {
    const files = await expandFilePatterns(['shards/*.tar', 'shards/{00010,00000}.tar'], options())
    expect(files).toEqual(['00000', '00001', '00002', '00010'].map((stem) => join(dir, 'shards', `${stem}.tar`)))
  })

  it('names missing files and empty globs with DATAFLOW_INPUT_NOT_FOUND', async () => {
    await expect(expandFilePatterns('shards/{00000..00004}.tar', options())).rejects.toMatchObject({
      code: 'DATAFLOW_INPUT_NOT_FOUND',
      message: 'shards: 2 of the tar shards listed do not exist or match nothing (shards/00003.tar, shards/00004.tar)',
    })
    await expect(expandFilePatterns('other/*.tar', options())).rejects.toMatchObject({
      code: 'DATAFLOW_INPUT_NOT_FOUND',
    })
  })
})
