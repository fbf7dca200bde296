import { createHash } from 'node:crypto'
import { join } from 'node:path'
import {
  DataflowError,
  defineNode,
  mapInvocations,
  openAdmissionLog,
  reject,
  type AdmissionLog,
  type NodeInput,
} from '@dataflow/sdk'
import { sampleConfigSchema, type SampleConfig } from './config-schema.js'

export type { SampleConfig } from './config-schema.js'

const hashOf = (text: string) => createHash('sha256').update(text).digest()
const hex = (digest: Buffer) => digest.subarray(0, 8).toString('hex')

/** The value read at `path`; absent or null is an input error (an item cannot be placed without it). */
function required(input: NodeInput, path: string, what: string): unknown {
  const value = input.get(path)
  if (value === undefined || value === null) {
    throw new DataflowError('DATAFLOW_INPUT_INVALID', `no ${what} to sample by: nothing at ${path}`, {
      hint: 'Point the setting at a field every item has, or gate the node with a `when` that tests it.',
    })
  }
  return value
}

/**
 * Keeps a deterministic fraction of items (a hash of the item id, or of `by`, against
 * `fraction`: stateless, the same items every run), and/or at most `perGroup` items per group
 * (the first to arrive; what was admitted is logged in the node's state folder, so a resumed run
 * keeps exactly what an uninterrupted one would).
 */
export default defineNode<SampleConfig, { sampled: true }>({
  specVersion: 1,
  name: '@dataflow/plugin-sample',
  version: '0.1.0',
  description: 'Keeps a deterministic fraction of items, or at most N per group.',
  config: sampleConfigSchema,
  writes: {
    type: 'object',
    properties: { sampled: { type: 'boolean', const: true } },
    required: ['sampled'],
    additionalProperties: false,
  },
  create(config, context) {
    const counts = new Map<string, number>()
    /** `<group hash>:<item id hash>` of the items admitted under the cap. */
    const admitted = new Set<string>()
    let log: AdmissionLog | undefined
    if (config.perGroup !== undefined) {
      const settings = JSON.stringify({ group: config.group, perGroup: config.perGroup })
      const file = join(context.stateDir, `groups-${hex(hashOf(settings))}.bin`)
      log = openAdmissionLog(file, 4, ([groupHi, groupLo, idHi, idLo]) => {
        const group = toHex(groupHi!, groupLo!)
        counts.set(group, (counts.get(group) ?? 0) + 1)
        admitted.add(`${group}:${toHex(idHi!, idLo!)}`)
      })
    }

    const inFraction = (input: NodeInput): boolean => {
      const value = config.by === undefined ? input.id : JSON.stringify(required(input, config.by, 'value'))
      return hashOf(`${config.seed}:${value}`).readUInt32BE(0) / 2 ** 32 < config.fraction!
    }

    const underCap = (input: NodeInput): { kept: true } | { kept: false; group: unknown } => {
      const group = required(input, config.group!, 'group')
      const groupDigest = hashOf(JSON.stringify(group))
      const idDigest = hashOf(input.id)
      const key = `${hex(groupDigest)}:${hex(idDigest)}`
      if (admitted.has(key)) return { kept: true }
      const count = counts.get(hex(groupDigest)) ?? 0
      if (count >= config.perGroup!) return { kept: false, group }
      log!.append(
        groupDigest.readUInt32BE(0),
        groupDigest.readUInt32BE(4),
        idDigest.readUInt32BE(0),
        idDigest.readUInt32BE(4),
      )
      counts.set(hex(groupDigest), count + 1)
      admitted.add(key)
      return { kept: true }
    }

    const decide = (input: NodeInput) => {
      if (config.fraction !== undefined && !inFraction(input)) {
        return reject(`not in the sample: fraction ${config.fraction} (seed ${config.seed})`, {
          details: { fraction: config.fraction, seed: config.seed, ...(config.by ? { by: config.by } : {}) },
        })
      }
      if (config.perGroup !== undefined) {
        const decision = underCap(input)
        if (!decision.kept) {
          return reject(
            `group ${config.group} = ${JSON.stringify(decision.group)} already has ${config.perGroup} items (perGroup ${config.perGroup})`,
            { details: { group: decision.group, perGroup: config.perGroup } },
          )
        }
      }
      return { sampled: true as const }
    }

    return {
      operator: mapInvocations(({ input }) => decide(input)),
      close: () => log?.close(),
    }
  },
})

function toHex(hi: number, lo: number): string {
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0')
}
