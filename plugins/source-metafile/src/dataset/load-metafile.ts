import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { DataflowError } from '@dataflow/sdk'
import { parseJson, toPointerSegment } from '../json/parse-json.js'
import { toTextPosition } from '../json/text-position.js'
import { toPathKind } from './check-paths.js'
import { describeValue } from './describe-value.js'
import type { DatasetSpec } from './dataset-spec.js'
import { positionedError, toLocation } from './positioned-error.js'

const HINT =
  'A Metafile maps dataset names to { "root": "<media folder>", "annotation": "<file.json|.jsonl>", "length"?, "task"?, "sample_count"?, "modality"? }.'

/**
 * Reads and checks a Metafile: valid JSON, the right types, no dataset declared twice, and
 * for the selected datasets an existing annotation file and root folder. Every problem is one
 * DataflowError naming `file:line:column`. Paths are resolved against the Metafile's folder.
 */
export async function loadMetafile(path: string, selection?: readonly string[]): Promise<DatasetSpec[]> {
  const text = await readText(path)
  const parsed = parseJson(text)
  if (!parsed.ok) {
    throw positionedError(
      'DATAFLOW_INPUT_INVALID',
      path,
      toTextPosition(text, parsed.offset),
      `invalid JSON in the Metafile: ${parsed.message}`,
      { hint: HINT },
    )
  }
  const where = (pointer: string) =>
    toTextPosition(text, parsed.positions.get(pointer) ?? parsed.keyPositions.get(pointer) ?? 0)
  const invalid = (pointer: string, message: string) =>
    positionedError('DATAFLOW_INPUT_INVALID', path, where(pointer), message, { hint: HINT })
  const root = parsed.value
  if (typeof root !== 'object' || root === null || Array.isArray(root))
    throw invalid('', 'a Metafile must be a JSON object of datasets')
  const duplicate = parsed.duplicateKeys.find((key) => key.pointer.lastIndexOf('/') === 0)
  if (duplicate) {
    throw positionedError(
      'DATAFLOW_INPUT_INVALID',
      path,
      toTextPosition(text, duplicate.offset),
      `dataset ${JSON.stringify(fromPointer(duplicate.pointer))} is declared twice`,
      { hint: HINT },
    )
  }
  const names = [...parsed.keyPositions.keys()].filter((pointer) => pointer.lastIndexOf('/') === 0).map(fromPointer)
  const specs = names.map((name) => toSpec(name, (root as Record<string, unknown>)[name], `/${toPointerSegment(name)}`))

  if (selection) {
    const unknown = selection.filter((name) => !names.includes(name))
    if (unknown.length > 0) {
      throw new DataflowError(
        'DATAFLOW_CONFIG_INVALID',
        `datasets: ${unknown.map((name) => JSON.stringify(name)).join(', ')} not in ${path}`,
        {
          hint: `The Metafile declares: ${names.join(', ') || '(nothing)'}.`,
        },
      )
    }
  }
  const selected = selection ? specs.filter((spec) => selection.includes(spec.name)) : specs
  for (const spec of selected) {
    const pointer = `/${toPointerSegment(spec.name)}`
    const annotationKind = await toPathKind(spec.annotation)
    if (annotationKind !== 'file') {
      throw positionedError(
        'DATAFLOW_INPUT_NOT_FOUND',
        path,
        where(`${pointer}/annotation`),
        `dataset "${spec.name}": annotation file ${spec.annotation} ${annotationKind === 'missing' ? 'does not exist' : 'is not a file'}`,
        {
          hint: "Annotation paths are relative to the Metafile's folder.",
          details: { dataset: spec.name, path: spec.annotation },
        },
      )
    }
    const rootKind = await toPathKind(spec.root)
    if (rootKind !== 'folder') {
      throw positionedError(
        'DATAFLOW_INPUT_NOT_FOUND',
        path,
        where(`${pointer}/root`),
        `dataset "${spec.name}": root folder ${spec.root} ${rootKind === 'missing' ? 'does not exist' : 'is not a folder'}`,
        { hint: "Root paths are relative to the Metafile's folder.", details: { dataset: spec.name, path: spec.root } },
      )
    }
  }
  return selected

  function toSpec(name: string, value: unknown, pointer: string): DatasetSpec {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw invalid(
        pointer,
        `dataset "${name}" must be an object with "root" and "annotation", found ${describeValue(value)}`,
      )
    }
    const entry = value as Record<string, unknown>
    const field = (key: string) => `${pointer}/${key}`
    const requiredPath = (key: 'root' | 'annotation') => {
      const raw = entry[key]
      if (raw === undefined) throw invalid(pointer, `dataset "${name}" has no "${key}"`)
      if (typeof raw !== 'string' || raw === '')
        throw invalid(
          field(key),
          `dataset "${name}": "${key}" must be a non-empty string (a path), found ${describeValue(raw)}`,
        )
      return resolve(dirname(path), raw)
    }
    const count = (key: 'length' | 'sample_count') => {
      const raw = entry[key]
      if (raw === undefined || raw === null) return undefined
      if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0)
        throw invalid(
          field(key),
          `dataset "${name}": "${key}" must be a whole number >= 0, found ${describeValue(raw)}`,
        )
      return raw
    }
    const task = entry['task']
    if (task !== undefined && task !== null && (typeof task !== 'string' || task === '')) {
      throw invalid(
        field('task'),
        `dataset "${name}": "task" must be a non-empty string (a domain such as "natural"), found ${describeValue(task)}`,
      )
    }
    const modality = entry['modality']
    if (modality !== undefined && modality !== null && modality !== 'image' && modality !== 'video') {
      throw invalid(
        field('modality'),
        `dataset "${name}": "modality" must be "image" or "video", found ${describeValue(modality)}`,
      )
    }
    const length = count('length')
    const sampleCount = count('sample_count')
    return {
      name,
      root: requiredPath('root'),
      annotation: requiredPath('annotation'),
      ...(typeof task === 'string' ? { task } : {}),
      ...(modality === 'image' || modality === 'video' ? { modality } : {}),
      ...(length === undefined ? {} : { length }),
      ...(sampleCount === undefined ? {} : { sampleCount }),
      declaredAt: toLocation(path, where(pointer)),
    }
  }
}

async function readText(path: string): Promise<string> {
  try {
    const text = await readFile(path, 'utf8')
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'EISDIR') {
      throw new DataflowError(
        'DATAFLOW_INPUT_NOT_FOUND',
        `Metafile ${path} ${code === 'ENOENT' ? 'does not exist' : 'is a folder'}`,
        {
          hint: "Relative paths are resolved against the pipeline file's folder.",
          details: { path },
        },
      )
    }
    throw error
  }
}

const fromPointer = (pointer: string) => pointer.slice(1).replace(/~1/g, '/').replace(/~0/g, '~')
