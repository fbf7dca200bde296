import { createReadStream } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { DataflowError } from '@dataflow/sdk'
import { parseJson } from '../json/parse-json.js'
import { readJsonLines } from '../json/read-json-lines.js'
import { toTextPosition } from '../json/text-position.js'
import { toPathKind } from './check-paths.js'
import type { DatasetSlice, DatasetSpec } from './dataset-spec.js'
import { describeValue } from './describe-value.js'
import { positionedError, toLocation } from './positioned-error.js'

/** One line of a split plan. */
export interface PlanLine {
  slice: DatasetSlice
  shard: number
  /** 1-based line in the plan file. */
  line: number
}

const HINT =
  'Plan lines look like {"dataset": "coco", "annotation": "coco.json", "root": "images", "task": "natural", "start": 0, "end": 5000, "shard": 0}.'

/**
 * Reads a split plan (JSONL, one slice per line; paths relative to the plan's folder) and
 * checks every line: types, `start <= end`, existing files, and that no two slices of the same
 * annotation file overlap. Problems are DataflowErrors naming `file:line:column`.
 */
export async function loadPlan(path: string, selection?: readonly string[]): Promise<PlanLine[]> {
  if ((await toPathKind(path)) !== 'file') {
    throw new DataflowError('DATAFLOW_INPUT_NOT_FOUND', `plan file ${path} does not exist`, {
      hint: "Relative paths are resolved against the pipeline file's folder.",
      details: { path },
    })
  }
  const lines: PlanLine[] = []
  for await (const element of readJsonLines(createReadStream(path, { encoding: 'utf8' }) as AsyncIterable<string>)) {
    const parsed = parseJson(element.text)
    const at = (offset: number) => toTextPosition(element.text, offset, element.position)
    if (!parsed.ok)
      throw positionedError(
        'DATAFLOW_INPUT_INVALID',
        path,
        at(parsed.offset),
        `invalid JSON in the plan: ${parsed.message}`,
        { hint: HINT },
      )
    const value = parsed.value
    const invalid = (pointer: string, message: string) =>
      positionedError(
        'DATAFLOW_INPUT_INVALID',
        path,
        at(parsed.positions.get(pointer) ?? 0),
        `plan line ${element.position.line}: ${message}`,
        { hint: HINT },
      )
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw invalid('', `expected a JSON object, found ${describeValue(value)}`)
    const entry = value as Record<string, unknown>
    const text = (key: string, optional = false) => {
      const raw = entry[key]
      if (optional && (raw === undefined || raw === null)) return undefined
      if (typeof raw !== 'string' || raw === '')
        throw invalid(
          raw === undefined ? '' : `/${key}`,
          `"${key}" must be a non-empty string, found ${describeValue(raw)}`,
        )
      return raw
    }
    const whole = (key: string) => {
      const raw = entry[key]
      if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0)
        throw invalid(
          raw === undefined ? '' : `/${key}`,
          `"${key}" must be a whole number >= 0, found ${describeValue(raw)}`,
        )
      return raw
    }
    const name = text('dataset')!
    const task = text('task', true)
    const modality = entry['modality'] ?? undefined
    if (modality !== undefined && modality !== null && modality !== 'image' && modality !== 'video')
      throw invalid('/modality', `"modality" must be "image" or "video", found ${describeValue(modality)}`)
    const start = whole('start')
    const end = whole('end')
    if (end < start) throw invalid('/end', `"end" (${end}) is before "start" (${start})`)
    const shard = whole('shard')
    if (selection && !selection.includes(name)) continue
    const folder = dirname(path)
    const spec: DatasetSpec = {
      name,
      annotation: resolve(folder, text('annotation')!),
      root: resolve(folder, text('root')!),
      ...(task === undefined ? {} : { task }),
      ...(modality === 'image' || modality === 'video' ? { modality } : {}),
      declaredAt: toLocation(path, element.position),
    }
    for (const [key, want] of [
      ['annotation', 'file'],
      ['root', 'folder'],
    ] as const) {
      const kind = await toPathKind(spec[key])
      if (kind !== want) {
        throw positionedError(
          'DATAFLOW_INPUT_NOT_FOUND',
          path,
          at(parsed.positions.get(`/${key}`) ?? 0),
          `plan line ${element.position.line}: ${key} ${spec[key]} ${kind === 'missing' ? 'does not exist' : `is not a ${want}`}`,
          { details: { path: spec[key] } },
        )
      }
    }
    lines.push({ slice: { dataset: spec, start, end }, shard, line: element.position.line })
  }
  checkNoOverlap(path, lines)
  return lines
}

function checkNoOverlap(path: string, lines: readonly PlanLine[]): void {
  const byFile = new Map<string, PlanLine[]>()
  for (const line of lines) {
    const list = byFile.get(line.slice.dataset.annotation) ?? []
    list.push(line)
    byFile.set(line.slice.dataset.annotation, list)
  }
  for (const [annotation, list] of byFile) {
    const sorted = [...list].sort((a, b) => a.slice.start - b.slice.start)
    for (let i = 1; i < sorted.length; i++) {
      const previous = sorted[i - 1]!
      const current = sorted[i]!
      if (current.slice.start < previous.slice.end) {
        const later = current.line > previous.line ? current : previous
        const earlier = later === current ? previous : current
        throw new DataflowError(
          'DATAFLOW_INPUT_INVALID',
          `${path}:${later.line}:1: plan lines ${earlier.line} and ${later.line} overlap: both take records ${current.slice.start}-${Math.min(current.slice.end, previous.slice.end) - 1} of ${annotation}`,
          {
            hint: 'Every record must belong to exactly one slice.',
            details: { file: path, line: later.line, column: 1 },
          },
        )
      }
    }
  }
}
