import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { SAMPLE } from './run-capflow.js'
import { writeDataset, type AnnotationRecord, type DatasetSpec } from './write-dataset.js'
import { writePng } from './write-png.js'

interface SampleEntry {
  root: string
  annotation: string
  task?: string
  modality?: 'image' | 'video'
  sample_count?: number
}

/** The bundled sample dataset (images of every domain and three videos), with absolute roots. */
export async function sampleDatasets(): Promise<Record<string, DatasetSpec>> {
  const metafile = JSON.parse(await readFile(join(SAMPLE, 'Metafile.json'), 'utf8')) as Record<string, SampleEntry>
  const datasets: Record<string, DatasetSpec> = {}
  for (const [name, entry] of Object.entries(metafile)) {
    const records = JSON.parse(await readFile(join(SAMPLE, entry.annotation), 'utf8')) as AnnotationRecord[]
    datasets[name] = {
      root: join(SAMPLE, entry.root),
      records: records.slice(0, entry.sample_count ?? records.length),
      ...(entry.task === undefined ? {} : { task: entry.task }),
      ...(entry.modality === undefined ? {} : { modality: entry.modality }),
    }
  }
  return datasets
}

/** Tasks of the generated datasets: three fixed domains and one left to the router. */
const GENERATED_TASKS: (string | undefined)[] = ['Natural', 'Chart & Math', 'Infographic & Document', undefined]

/**
 * A CapFlow dataset of the sample records plus `generated` distinct images (every image has
 * its own content, so no two items send the same request), spread over four datasets.
 */
export async function writeCapflowDataset(
  dir: string,
  generated: number,
): Promise<{ metafile: string; ids: string[] }> {
  const imageDir = join(dir, 'images')
  await mkdir(imageDir, { recursive: true })
  const datasets = await sampleDatasets()
  const perDataset = Math.ceil(generated / GENERATED_TASKS.length)
  let seed = 0
  for (const [index, task] of GENERATED_TASKS.entries()) {
    const records: AnnotationRecord[] = []
    for (let n = 0; n < perDataset && seed < generated; n++, seed++) {
      const file = `gen-${seed}.png`
      await writePng(join(imageDir, file), 448, 336, seed + 1)
      records.push({
        id: n,
        image: file,
        width: 448,
        height: 336,
        conversations: [{ from: 'human', value: '<image>\nDescribe the image.' }],
      })
    }
    datasets[`generated-${index}`] = { root: imageDir, records, ...(task === undefined ? {} : { task }) }
  }
  return writeDataset(dir, datasets)
}
