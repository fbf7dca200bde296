import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createMediaPathResolver } from './resolve-media-path.js'

let dir: string
let root: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'media-path-'))
  root = join(dir, 'root')
  await mkdir(join(root, 'sub'), { recursive: true })
  await writeFile(join(root, 'sub', 'a.jpg'), 'a')
  await writeFile(join(dir, 'secret.jpg'), 's')
  await symlink(join(dir, 'secret.jpg'), join(root, 'sub', 'escape.jpg'))
  await symlink(join(root, 'sub', 'a.jpg'), join(root, 'inside-link.jpg'))
  await symlink(dir, join(root, 'up'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('createMediaPathResolver', () => {
  const resolveIn = async (path: string) => createMediaPathResolver(root, await realpath(root))(path)

  it('resolves paths inside the root, existing or not', async () => {
    expect(await resolveIn('sub/a.jpg')).toEqual({ path: join(root, 'sub/a.jpg') })
    expect(await resolveIn('sub/../sub/a.jpg')).toEqual({ path: join(root, 'sub/a.jpg') })
    expect(await resolveIn('missing/b.jpg')).toEqual({ path: join(root, 'missing/b.jpg') })
    expect(await resolveIn('..hidden.jpg')).toEqual({ path: join(root, '..hidden.jpg') })
    expect(await resolveIn(join(root, 'sub/a.jpg'))).toEqual({ path: join(root, 'sub/a.jpg') })
    expect(await resolveIn('inside-link.jpg')).toEqual({ path: join(root, 'inside-link.jpg') })
  })

  it('refuses ../ escapes and absolute paths elsewhere', async () => {
    expect(await resolveIn('../secret.jpg')).toEqual({
      problem: `media path "../secret.jpg" points outside the dataset root ${root}`,
    })
    expect(await resolveIn('sub/../../secret.jpg')).toMatchObject({
      problem: expect.stringContaining('points outside the dataset root'),
    })
    expect(await resolveIn('/etc/passwd')).toEqual({
      problem: `media path "/etc/passwd" points outside the dataset root ${root}`,
    })
    expect(await resolveIn('a\0b.jpg')).toMatchObject({ problem: expect.stringContaining('NUL') })
  })

  it('refuses symbolic links (of files or folders) that lead outside the root', async () => {
    const real = await realpath(join(dir, 'secret.jpg'))
    expect(await resolveIn('sub/escape.jpg')).toEqual({
      problem: `media path "sub/escape.jpg" goes through a symbolic link to ${real}, outside the dataset root ${root}`,
    })
    expect(await resolveIn('up/secret.jpg')).toMatchObject({ problem: expect.stringContaining('symbolic link') })
    // A missing file below a folder link that leaves the root is refused too.
    expect(await resolveIn('up/missing.jpg')).toMatchObject({ problem: expect.stringContaining('symbolic link') })
  })
})
