import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { DataflowError, type SourceContext, type SourceInstance, type SourceRecord } from '@dataflow/sdk'
import { DEFAULT_INCLUDE, type FilesSourceConfig } from './config.js'
import { createGlobMatcher, type GlobMatcher } from './glob/create-glob-matcher.js'
import { toModality } from './modality.js'
import { walkFiles, type WalkedFile } from './walk-files.js'

/** Lists the folder named in the config; throws DATAFLOW_INPUT_NOT_FOUND when it is missing. */
export async function createFilesSource(config: FilesSourceConfig, context: SourceContext): Promise<SourceInstance> {
  const root = context.resolvePath(config.dir)
  const options = { dot: config.dot ?? false, ignoreCase: config.ignoreCase ?? true }
  const include = compile('include', config.include ?? DEFAULT_INCLUDE, options)
  const exclude = config.exclude === undefined ? undefined : compile('exclude', config.exclude, options)
  const dataset = config.dataset ?? basename(root)
  await checkFolder(root)

  const matching = async function* (): AsyncGenerator<WalkedFile> {
    const files = walkFiles(root, {
      enter: (folder) => include.couldMatchInside(folder) && !exclude?.matches(folder),
      followSymlinks: config.followSymlinks ?? false,
      onSkip: (path, reason) => context.logger.warn({ path, reason }, 'skipped while listing the input folder'),
      signal: context.signal,
    })
    for await (const file of files) {
      if (include.matches(file.relativePath) && !exclude?.matches(file.relativePath)) yield file
    }
  }
  let counted: Promise<number> | undefined

  return {
    async count() {
      counted ??= (async () => {
        let count = 0
        for await (const _ of matching()) count++
        return count
      })()
      return counted
    },
    /** Walks and stats every file: hashes relative paths, sizes and mtimes. */
    async fingerprint() {
      const hash = createHash('sha256').update(
        JSON.stringify([root, config.include ?? DEFAULT_INCLUDE, config.exclude ?? null]),
      )
      let count = 0
      for await (const file of matching()) {
        const stats = await stat(file.absolutePath).catch(() => undefined)
        hash.update(`\n${file.relativePath}\t${stats?.size ?? -1}\t${Math.trunc(stats?.mtimeMs ?? -1)}`)
        count++
      }
      return `files:${count}:${hash.digest('hex').slice(0, 16)}`
    },
    async *read(): AsyncGenerator<SourceRecord> {
      await checkFolder(root)
      for await (const file of matching()) yield await toRecord(file, dataset)
    },
  }
}

async function toRecord(file: WalkedFile, dataset: string): Promise<SourceRecord> {
  const id = file.relativePath
  const name = basename(file.absolutePath)
  const modality = toModality(name)
  if (!modality) {
    return {
      id,
      error: new DataflowError(
        'DATAFLOW_INPUT_INVALID',
        `${file.relativePath}: the extension is neither a known image nor a known video type`,
        {
          hint: 'Narrow `include` to image and video files.',
          details: { path: file.absolutePath },
        },
      ),
    }
  }
  const stats = await stat(file.absolutePath).catch(() => undefined)
  if (!stats) {
    return {
      id,
      error: new DataflowError(
        'DATAFLOW_INPUT_NOT_FOUND',
        `${file.absolutePath} disappeared while the folder was read`,
        { details: { path: file.absolutePath } },
      ),
    }
  }
  return {
    id,
    data: { id, media: file.absolutePath, relativePath: file.relativePath, name, size: stats.size, modality, dataset },
  }
}

function compile(field: string, globs: string | string[], options: { dot: boolean; ignoreCase: boolean }): GlobMatcher {
  try {
    return createGlobMatcher(globs, options)
  } catch (error) {
    throw new DataflowError('DATAFLOW_CONFIG_INVALID', `${field}: ${(error as Error).message}`)
  }
}

async function checkFolder(root: string): Promise<void> {
  const stats = await stat(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (!stats)
    throw new DataflowError('DATAFLOW_INPUT_NOT_FOUND', `input folder ${root} does not exist`, {
      hint: "Relative paths are resolved against the pipeline file's folder.",
      details: { path: root },
    })
  if (!stats.isDirectory())
    throw new DataflowError('DATAFLOW_INPUT_NOT_FOUND', `${root} is a file, not a folder`, {
      hint: 'Set `dir` to a folder of media files.',
      details: { path: root },
    })
}
