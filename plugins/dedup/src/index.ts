import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { DataflowError, defineNode, mapInvocations, openAdmissionLog, reject, type NodeInput } from '@dataflow/sdk'
import { dedupConfigSchema, type DedupConfig } from './config-schema.js'
import { fingerprintOf, idHashOf, toHex } from './fingerprint.js'
import { FingerprintTable } from './fingerprint-table.js'

export type { DedupConfig } from './config-schema.js'

/** Longest text of a key value quoted in the rejection details. */
const MAX_VALUE_CHARS = 200

const quoted = (value: unknown) =>
  typeof value === 'string' && value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}...` : value

/**
 * Drops items whose key was seen before: the first item with a key passes, later ones are
 * rejected as duplicates. Keys are held as 64-bit hashes in one typed array (bounded memory),
 * and what was admitted is logged in the node's state folder, so a resumed run drops exactly
 * what an uninterrupted one would.
 */
export default defineNode<DedupConfig, { fingerprint: string }>({
  specVersion: 1,
  name: '@dataflow/plugin-dedup',
  version: '0.1.0',
  description: 'Drops items whose key (a field, several fields or a content hash) was seen before.',
  config: dedupConfigSchema,
  writes: {
    type: 'object',
    properties: { fingerprint: { type: 'string', description: '64-bit hash of the key, hex.' } },
    required: ['fingerprint'],
    additionalProperties: false,
  },
  create(config, context) {
    const paths = typeof config.key === 'string' ? [config.key] : config.key
    const settings = JSON.stringify({ paths, normalize: config.normalize })
    const stateFile = join(
      context.stateDir,
      `keys-${createHash('sha256').update(settings).digest('hex').slice(0, 16)}.bin`,
    )
    const table = new FingerprintTable()
    const log = openAdmissionLog(stateFile, 3, ([hi, lo, id]) => {
      if (table.get({ hi: hi!, lo: lo! }) === -1) table.add({ hi: hi!, lo: lo! }, id!)
    })
    if (table.size > 0)
      context.logger.info({ keys: table.size, stateFile }, 'dedup resumed with the keys it had admitted')
    const sameAs = paths.join(', ')

    const decide = (input: NodeInput) => {
      const values = paths.map((path) => input.get(path))
      const missing = paths.filter((_, index) => values[index] === undefined || values[index] === null)
      if (missing.length > 0) {
        throw new DataflowError(
          'DATAFLOW_INPUT_INVALID',
          `no key to deduplicate by: nothing at ${missing.join(', ')}`,
          {
            hint: 'Point `key` at a field every item has, or gate the node with a `when` that tests it.',
          },
        )
      }
      const fingerprint = fingerprintOf(values, config.normalize)
      const id = idHashOf(input.id)
      const admitted = table.get(fingerprint)
      if (admitted === -1) {
        if (table.size >= config.maxKeys) {
          throw new DataflowError('DATAFLOW_NODE_FAILED', `dedup holds maxKeys (${config.maxKeys}) distinct keys`, {
            hint: 'Raise `maxKeys` (16 to 32 bytes of memory per key), or deduplicate in several runs.',
          })
        }
        log.append(fingerprint.hi, fingerprint.lo, id)
        table.add(fingerprint, id)
        return { fingerprint: toHex(fingerprint) }
      }
      // The admitted item itself, invoked again (a resumed run): it passes again.
      if (admitted === id) return { fingerprint: toHex(fingerprint) }
      return reject(`duplicate of an earlier item: same ${sameAs}`, {
        details: {
          key: Object.fromEntries(paths.map((path, index) => [path, quoted(values[index])])),
          fingerprint: toHex(fingerprint),
        },
      })
    }

    return {
      operator: mapInvocations(({ input }) => decide(input)),
      close: () => log.close(),
    }
  },
})
