import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { DataflowError } from '@dataflow/sdk'

/** The ffmpeg and ffprobe executables used for video, and where each was found. */
export interface FfmpegBinaries {
  ffmpeg: string
  ffprobe: string
  origins: { ffmpeg: BinaryOrigin; ffprobe: BinaryOrigin }
}

/** `option`: given explicitly; `path`: found on PATH; `package`: from @ffmpeg-installer / @ffprobe-installer. */
export type BinaryOrigin = 'option' | 'path' | 'package'

export interface ResolveFfmpegOptions {
  ffmpegPath?: string
  ffprobePath?: string
  /** The PATH to search. Default: process.env.PATH. */
  searchPath?: string
  /** Loads an installer package by name. Default: dynamic import. */
  importPackage?: (name: string) => Promise<unknown>
}

const PACKAGES = { ffmpeg: '@ffmpeg-installer/ffmpeg', ffprobe: '@ffprobe-installer/ffprobe' } as const
const INSTALL_HINT =
  'Install ffmpeg (it includes ffprobe): `apt-get install ffmpeg` on Debian/Ubuntu, `brew install ffmpeg` on macOS; ' +
  'or install the optional npm packages @ffmpeg-installer/ffmpeg and @ffprobe-installer/ffprobe; ' +
  'or set ffmpegPath / ffprobePath.'

/**
 * Finds ffmpeg and ffprobe: an explicit path first, then PATH, then the optional installer
 * packages. Throws DATAFLOW_CONFIG_INVALID saying how to install them when none is found.
 */
export async function resolveFfmpegBinaries(options: ResolveFfmpegOptions = {}): Promise<FfmpegBinaries> {
  const [ffmpeg, ffprobe] = await Promise.all([
    resolveOne('ffmpeg', options.ffmpegPath, options),
    resolveOne('ffprobe', options.ffprobePath, options),
  ])
  return { ffmpeg: ffmpeg.path, ffprobe: ffprobe.path, origins: { ffmpeg: ffmpeg.origin, ffprobe: ffprobe.origin } }
}

async function resolveOne(name: 'ffmpeg' | 'ffprobe', explicit: string | undefined, options: ResolveFfmpegOptions) {
  if (explicit !== undefined) {
    if (await isExecutable(explicit)) return { path: explicit, origin: 'option' as const }
    throw new DataflowError('DATAFLOW_CONFIG_INVALID', `${name}Path "${explicit}" is not an executable file`, {
      hint: INSTALL_HINT,
      details: { [`${name}Path`]: explicit },
    })
  }
  const searchPath = options.searchPath ?? process.env['PATH'] ?? ''
  const executable = process.platform === 'win32' ? `${name}.exe` : name
  for (const folder of searchPath.split(delimiter).filter(Boolean)) {
    const candidate = join(folder, executable)
    if (await isExecutable(candidate)) return { path: candidate, origin: 'path' as const }
  }
  const fromPackage = await fromInstallerPackage(PACKAGES[name], options.importPackage)
  if (fromPackage !== undefined) return { path: fromPackage, origin: 'package' as const }
  throw new DataflowError('DATAFLOW_CONFIG_INVALID', `${name} was not found: it is needed to read videos`, {
    hint: INSTALL_HINT,
    details: { searched: searchPath, package: PACKAGES[name] },
  })
}

async function fromInstallerPackage(
  name: string,
  importPackage: ((name: string) => Promise<unknown>) | undefined,
): Promise<string | undefined> {
  let loaded: unknown
  try {
    loaded = await (importPackage ?? ((specifier: string) => import(specifier)))(name)
  } catch {
    return undefined // not installed, or no build for this platform
  }
  const module = loaded as { path?: unknown; default?: { path?: unknown } }
  const path = module.default?.path ?? module.path
  return typeof path === 'string' && (await isExecutable(path)) ? path : undefined
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK)
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}
