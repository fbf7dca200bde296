import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RuleTester } from 'eslint'
import tseslint from 'typescript-eslint'
import { afterAll, describe, it } from 'vitest'
import { moduleBoundaries } from './module-boundaries.js'

RuleTester.describe = describe
RuleTester.it = it
RuleTester.itOnly = it.only

// A real workspace on disk: the rule reads the package.json files that own each file.
const root = mkdtempSync(join(tmpdir(), 'module-boundaries-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
function manifest(folder: string, json: Record<string, unknown>): string {
  mkdirSync(join(root, folder), { recursive: true })
  writeFileSync(join(root, folder, 'package.json'), JSON.stringify(json))
  return join(root, folder)
}
manifest('.', {
  name: 'repo',
  private: true,
  workspaces: ['packages/*', 'plugins/*'],
  devDependencies: { vitest: '1' },
})
const core = manifest('packages/core', {
  name: '@x/core',
  dependencies: { '@x/sdk': '1', rxjs: '7' },
  devDependencies: { '@x/sim': '1' },
})
manifest('packages/sdk', { name: '@x/sdk' })
const plugin = manifest('plugins/echo', {
  name: '@x/plugin-echo',
  dependencies: { '@x/sdk': '1', '@x/core': '1', 'tar-stream': '3.1.7' },
})

const only = { only: ['@x/sdk'], scope: '@x/', because: 'plugins get the rest through the contract' }
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } })

tester.run('module-boundaries', moduleBoundaries, {
  valid: [
    { filename: join(core, 'src/a.ts'), code: "import { of } from 'rxjs/operators'" },
    { filename: join(core, 'src/a.ts'), code: "import { x } from '@x/sdk'; export * from '@x/sdk'" },
    { filename: join(core, 'src/a.ts'), code: "import { readFile } from 'node:fs/promises'; import os from 'os'" },
    { filename: join(core, 'src/a.ts'), code: "import self from '@x/core/package.json'" },
    { filename: join(core, 'src/a.ts'), code: "import { b } from './b.js'; import { c } from '../test/c.js'" },
    {
      filename: join(core, 'src/a.test.ts'),
      code: "import { it } from 'vitest'; import '@x/sim'",
      options: [{ dev: true }],
    },
    { filename: join(plugin, 'src/index.ts'), code: "import { defineNode } from '@x/sdk'", options: [only] },
    { filename: join(plugin, 'src/tar.ts'), code: "import { extract } from 'tar-stream'", options: [only] },
    { filename: join(root, 'tools/demo/run.mjs'), code: "import { start } from '@x/core'; import 'vitest'" },
    { filename: join(core, 'src/a.ts'), code: 'const name = "rxjs"; await import(name)' },
  ],
  invalid: [
    {
      filename: join(core, 'src/a.ts'),
      code: "import lodash from 'lodash'",
      errors: [
        {
          messageId: 'undeclared',
          data: { name: 'lodash', manifest: 'packages/core/package.json', where: 'dependencies' },
        },
      ],
    },
    {
      filename: join(core, 'src/a.ts'),
      code: "export { x } from 'zod'; const y = await import('@scope/pkg/deep'); type T = typeof import('chalk')",
      errors: [{ messageId: 'undeclared' }, { messageId: 'undeclared' }, { messageId: 'undeclared' }],
    },
    {
      filename: join(core, 'src/a.ts'),
      code: "import { startSimulator } from '@x/sim'",
      errors: [{ messageId: 'devOnly', data: { name: '@x/sim', manifest: 'packages/core/package.json' } }],
    },
    { filename: join(core, 'src/a.ts'), code: "import { it } from 'vitest'", errors: [{ messageId: 'undeclared' }] },
    {
      filename: join(core, 'src/a.test.ts'),
      code: "import sharp from 'sharp'",
      options: [{ dev: true }],
      errors: [
        {
          messageId: 'undeclared',
          data: { name: 'sharp', manifest: 'packages/core/package.json', where: 'devDependencies' },
        },
      ],
    },
    {
      filename: join(core, 'src/a.ts'),
      code: "import { x } from '../../sdk/src/index.js'",
      errors: [{ messageId: 'leavesPackage', data: { specifier: '../../sdk/src/index.js', package: '@x/core' } }],
    },
    {
      filename: join(plugin, 'src/index.ts'),
      code: "import { defineNode } from '@x/sdk'; import { run } from '@x/core'",
      options: [only],
      errors: [
        {
          messageId: 'notAllowed',
          data: { name: '@x/core', only: '@x/sdk', because: ': plugins get the rest through the contract' },
        },
      ],
    },
    {
      filename: join(root, 'tools/demo/run.mjs'),
      code: "import sharp from 'sharp'",
      errors: [
        { messageId: 'undeclared', data: { name: 'sharp', manifest: 'package.json', where: 'devDependencies' } },
      ],
    },
  ],
})
