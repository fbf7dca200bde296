import { COMMON_FLAGS } from '../flags.js'
import { checkEndpoints, formatEndpointChecks } from '../check-endpoints.js'
import { loadOrReport } from '../load-or-report.js'
import type { Command } from './command.js'

export const VALIDATE_FLAGS = {
  ...COMMON_FLAGS,
  'check-endpoints': {
    type: 'boolean',
    description:
      'Also ask each model endpoint for GET /v1/models and say which served names are missing or which endpoints do not answer (exit 1).',
  },
} as const

export const validateCommand: Command<typeof VALIDATE_FLAGS> = {
  name: 'validate',
  usage: 'dataflow validate <pipeline.yaml> [--check-endpoints] [--set path=value ...]',
  summary: 'Check a pipeline file, its plugins, settings, graph and expressions without running it.',
  flags: VALIDATE_FLAGS,
  async run({ flags, positionals, io }) {
    const pipeline = await loadOrReport(positionals[0]!, flags.set, io.stderr)
    if (!pipeline) return 2
    io.stdout.write(
      `${pipeline.file}: ok (${pipeline.nodes.length} nodes, ${pipeline.sinks.length} sinks, ${Object.keys(pipeline.models).length} models)\n`,
    )
    if (!flags['check-endpoints']) return 0
    const checks = await checkEndpoints(pipeline, process.env)
    io.stdout.write(formatEndpointChecks(checks))
    return checks.every((check) => check.status === 'ok') ? 0 : 1
  },
}
