import { isAbsolute, relative } from 'node:path'

/** Paths inside the run directory become relative to it (the directory can move); others stay absolute. */
export function toRunPaths(outputs: Record<string, string[]>, runDir: string): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(outputs).map(([sink, files]) => [
      sink,
      files.map((file) => {
        const inside = relative(runDir, file)
        return inside.startsWith('..') || isAbsolute(inside) ? file : inside
      }),
    ]),
  )
}
