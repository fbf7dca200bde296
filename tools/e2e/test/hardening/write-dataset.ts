import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** One annotation record as the Metafile source reads it (LLaVA style). */
export interface AnnotationRecord {
  id: string | number
  image?: string
  video?: string
  conversations?: unknown[]
  width?: number
  height?: number
  task?: string
}

/** One Metafile entry: `root` is absolute (fixtures and sample data stay where they are). */
export interface DatasetSpec {
  root: string
  records: AnnotationRecord[]
  task?: string
  modality?: 'image' | 'video'
}

/**
 * Writes `<dir>/Metafile.json` and one annotation file per dataset under `<dir>/annotations/`;
 * returns the Metafile path and the item ids the source will produce (`<dataset>/<record id>`).
 */
export async function writeDataset(
  dir: string,
  datasets: Record<string, DatasetSpec>,
): Promise<{ metafile: string; ids: string[] }> {
  await mkdir(join(dir, 'annotations'), { recursive: true })
  const metafile: Record<string, unknown> = {}
  const ids: string[] = []
  for (const [name, spec] of Object.entries(datasets)) {
    const annotation = join('annotations', `${name}.json`)
    await writeFile(join(dir, annotation), `${JSON.stringify(spec.records, null, 1)}\n`)
    metafile[name] = {
      root: spec.root,
      annotation,
      length: spec.records.length,
      ...(spec.task === undefined ? {} : { task: spec.task }),
      ...(spec.modality === undefined ? {} : { modality: spec.modality }),
    }
    ids.push(...spec.records.map((record) => `${name}/${record.id}`))
  }
  const path = join(dir, 'Metafile.json')
  await writeFile(path, `${JSON.stringify(metafile, null, 2)}\n`)
  return { metafile: path, ids }
}
