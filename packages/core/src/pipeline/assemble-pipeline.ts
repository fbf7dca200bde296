import type { ModelConfig } from '@dataflow/inference'
import type { NodeDefinition, SinkDefinition, SourceDefinition } from '@dataflow/sdk'
import { readPath } from '@dataflow/sdk'
import type { CompiledExpression } from '../expression/index.js'
import type { PathReader, WrittenFields } from './check-paths.js'
import { checkModels } from './check-models.js'
import { checkOutputPaths } from './check-output-paths.js'
import { compileReads } from './check-reads.js'
import { checkTemplateReads } from './check-template-reads.js'
import type { Reporter } from './create-reporter.js'
import { findMarkedFields } from './find-marked-fields.js'
import { isRecord } from './is-record.js'
import type { LoadedNode, LoadedPipeline, LoadedSink, ResolvedPlugin } from './loaded-pipeline.js'
import { loadPlugin, writesOf, type LoadedPlugin, type PluginKind } from './load-plugin.js'
import type { PluginModule, ResolvePluginOptions } from './resolve-plugin.js'
import { validateGraph } from './validate-graph.js'
import type { DocumentPath } from './yaml-position.js'

/** The default `when` of a sink: items that ended well. */
export const DEFAULT_SINK_WHEN = "outcome == 'ok'"

/**
 * The checks after the schema: plugins and their settings, models, the graph, expressions and
 * the paths they read. Reports every problem; returns the pipeline when the document is usable.
 * `data` is the document (schema defaults applied); `with:` entries are replaced by the
 * validated configs so that it becomes the effective document.
 */
export async function assemblePipeline(
  data: Record<string, unknown>,
  reporter: Reporter,
  options: ResolvePluginOptions,
): Promise<LoadedPipeline | undefined> {
  const cache = new Map<string, Promise<PluginModule>>()
  const load = <K extends PluginKind>(kind: K, path: DocumentPath, entry: Record<string, unknown>) =>
    loadPlugin({ kind, path, entry }, reporter, options, cache)
  const sourceEntry = isRecord(data['source']) ? data['source'] : undefined
  const nodeEntries = entriesOf(data['nodes'])
  const sinkEntries = entriesOf(data['sinks'])
  const [source, nodes, sinks] = await Promise.all([
    sourceEntry === undefined ? undefined : load('source', ['source'], sourceEntry),
    Promise.all(nodeEntries.map(([id, entry]) => load('node', ['nodes', id], entry))),
    Promise.all(sinkEntries.map(([id, entry]) => load('sink', ['sinks', id], entry))),
  ])

  const models = isRecord(data['models']) ? data['models'] : {}
  const sites: [LoadedPlugin<PluginKind> | undefined, DocumentPath, Record<string, unknown> | undefined][] = [
    [source, ['source'], sourceEntry],
    ...nodeEntries.map(
      ([id, entry], index): [LoadedPlugin<'node'> | undefined, DocumentPath, Record<string, unknown>] => [
        nodes[index],
        ['nodes', id],
        entry,
      ],
    ),
    ...sinkEntries.map(
      ([id, entry], index): [LoadedPlugin<'sink'> | undefined, DocumentPath, Record<string, unknown>] => [
        sinks[index],
        ['sinks', id],
        entry,
      ],
    ),
  ]
  // `with:` as written (before defaults), to tell defaults from written values in messages.
  const writtenSettings = new Map<string, unknown>()
  for (const [loaded, path, entry] of sites) {
    if (loaded === undefined || entry === undefined) continue
    writtenSettings.set(path.join('.'), entry['with'])
    checkModels(
      loaded.plugin.definition.config,
      loaded.plugin.config,
      entry['with'],
      path,
      Object.keys(models),
      reporter,
    )
    checkOutputPaths(loaded.plugin.definition.config, loaded.plugin.config, path, reporter)
    entry['with'] = loaded.plugin.config
  }

  const graph = validateGraph(
    nodeEntries.map(([id, entry]) => ({ id, needs: Array.isArray(entry['needs']) ? entry['needs'] : [] })),
    reporter,
  )
  const sourceWrites = source?.valid === true ? writesOf(source.plugin, ['source'], reporter) : undefined
  const nodeWrites = new Map(
    nodeEntries.map(([id], index) => {
      const loaded = nodes[index]
      return [id, loaded?.valid === true ? writesOf(loaded.plugin, ['nodes', id], reporter) : undefined] as const
    }),
  )
  const written: WrittenFields = { item: sourceWrites, nodes: nodeWrites }

  const loadedNodes = new Map<string, LoadedNode>()
  nodeEntries.forEach(([id, entry], index) => {
    const upstream = graph.upstream.get(id)
    const reader: PathReader | undefined =
      upstream === undefined
        ? undefined
        : {
            kind: 'node',
            id,
            upstream,
            downstream: new Set([...graph.upstream].filter(([, set]) => set.has(id)).map(([other]) => other)),
          }
    const when =
      typeof entry['when'] === 'string'
        ? compileReads(entry['when'], 'expression', ['nodes', id, 'when'], reader, written, reporter)
        : undefined
    const loaded = nodes[index]
    if (loaded === undefined) return
    checkPathFields(loaded.plugin, ['nodes', id], writtenSettings.get(`nodes.${id}`), reader, written, reporter)
    checkNodeReads(loaded.plugin, ['nodes', id], options.dir, reader, written, reporter)
    const retry = isRecord(entry['retry']) ? entry['retry'] : {}
    loadedNodes.set(id, {
      ...loaded.plugin,
      id,
      needs: graph.needs.get(id) ?? [],
      when,
      onError: entry['onError'] === 'continue' ? 'continue' : 'fail',
      retry: { attempts: numberOr(retry['attempts'], 1), backoffMs: numberOr(retry['backoffMs'], 1000) },
      writes: nodeWrites.get(id) ?? {},
      depth: graph.depth.get(id) ?? 0,
    })
  })

  const loadedSinks: LoadedSink[] = []
  sinkEntries.forEach(([id, entry], index) => {
    const reader: PathReader = { kind: 'sink', id }
    const whenText = typeof entry['when'] === 'string' ? entry['when'] : DEFAULT_SINK_WHEN
    const when = compileReads(whenText, 'expression', ['sinks', id, 'when'], reader, written, reporter)
    const select = isRecord(entry['select']) ? compileSelect(entry['select'], id, reader, written, reporter) : undefined
    const loaded = sinks[index]
    if (loaded === undefined || when === undefined) return
    checkPathFields(loaded.plugin, ['sinks', id], writtenSettings.get(`sinks.${id}`), reader, written, reporter)
    loadedSinks.push({ ...loaded.plugin, id, when, select })
  })

  if (source === undefined || reporter.diagnostics.length > 0) return undefined
  return {
    file: reporter.source.file,
    dir: options.dir,
    name: String(data['name']),
    description: typeof data['description'] === 'string' ? data['description'] : undefined,
    models: models as Record<string, ModelConfig>,
    source: { ...source.plugin, writes: sourceWrites ?? {} },
    nodes: graph.order.map((id) => loadedNodes.get(id)!),
    sinks: loadedSinks,
    run: runSettings(data['run']),
    document: data,
  }
}

/** Checks the `x-dataflow-path` fields of a node's or sink's config; `settings` is `with:` as written. */
function checkPathFields(
  plugin: ResolvedPlugin<NodeDefinition | SinkDefinition | SourceDefinition>,
  path: DocumentPath,
  settings: unknown,
  reader: PathReader | undefined,
  written: WrittenFields,
  reporter: Reporter,
): void {
  for (const field of findMarkedFields(plugin.definition.config, plugin.config, 'x-dataflow-path')) {
    if (typeof field.value !== 'string') continue
    const fromDefault = readPath(settings, field.path.map(String)) === undefined
    const note = fromDefault
      ? `the default of with.${field.path.join('.')}: set it to what this pipeline writes`
      : undefined
    compileReads(field.value, 'path', [...path, 'with', ...field.path], reader, written, reporter, note)
  }
}

/** Checks a node's `x-dataflow-expression` fields and the placeholders of its `x-dataflow-template` fields. */
function checkNodeReads(
  plugin: ResolvedPlugin<NodeDefinition>,
  path: DocumentPath,
  dir: string,
  reader: PathReader | undefined,
  written: WrittenFields,
  reporter: Reporter,
): void {
  const schema = plugin.definition.config
  for (const field of findMarkedFields(schema, plugin.config, 'x-dataflow-expression')) {
    if (typeof field.value === 'string')
      compileReads(field.value, 'expression', [...path, 'with', ...field.path], reader, written, reporter)
  }
  for (const field of findMarkedFields(schema, plugin.config, 'x-dataflow-template')) {
    if (typeof field.value === 'string')
      checkTemplateReads(field.value, [...path, 'with', ...field.path], dir, reader, written, reporter)
  }
}

function compileSelect(
  select: Record<string, unknown>,
  id: string,
  reader: PathReader,
  written: WrittenFields,
  reporter: Reporter,
): Record<string, CompiledExpression> | undefined {
  const compiled: Record<string, CompiledExpression> = {}
  let complete = true
  for (const [field, text] of Object.entries(select)) {
    const path =
      typeof text === 'string'
        ? compileReads(text, 'path', ['sinks', id, 'select', field], reader, written, reporter)
        : undefined
    if (path === undefined) complete = false
    else compiled[field] = path
  }
  return complete ? compiled : undefined
}

function runSettings(run: unknown): LoadedPipeline['run'] {
  const settings = isRecord(run) ? run : {}
  return { window: numberOr(settings['window'], 256), maxErrorRate: numberOr(settings['maxErrorRate'], 0.05) }
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback
}

function entriesOf(value: unknown): [string, Record<string, unknown>][] {
  if (!isRecord(value)) return []
  return Object.entries(value).filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1]))
}
