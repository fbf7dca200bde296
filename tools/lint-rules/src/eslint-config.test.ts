import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const REPO = fileURLToPath(new URL('../../../', import.meta.url))

// One ESLint for the file: loading the config (typescript-eslint included) takes seconds on a busy machine.
const eslint = new ESLint({ cwd: REPO })

/** Lints `code` as if it were the file `path` of this repository, with the repository's eslint.config.js. */
async function ruleIdsFor(path: string, code: string): Promise<(string | null)[]> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO}${path}` })
  return result!.messages.map((message) => message.ruleId)
}

describe('eslint.config.js', { timeout: 60_000 }, () => {
  it('lets plugin code import @dataflow/sdk only', async () => {
    expect(await ruleIdsFor('plugins/router/src/new-file.js', "export { defineNode } from '@dataflow/sdk'\n")).toEqual(
      [],
    )
    expect(
      await ruleIdsFor('plugins/router/src/new-file.js', "export { loadPipeline } from '@dataflow/core'\n"),
    ).toEqual(['dataflow/module-boundaries'])
    expect(await ruleIdsFor('pipelines/examples/nodes/new-node.js', "export * from '@dataflow/inference'\n")).toEqual([
      'dataflow/module-boundaries',
    ])
  })

  it('lets tests use devDependencies and the root tooling, and published code only dependencies', async () => {
    const test = "export { startSimulator } from '@dataflow/inference-sim'\nexport { it } from 'vitest'\n"
    expect(await ruleIdsFor('packages/inference/src/new-file.test.js', test)).toEqual([])
    expect(await ruleIdsFor('packages/inference/src/new-file.js', test)).toEqual([
      'dataflow/module-boundaries',
      'dataflow/module-boundaries',
    ])
  })
})
