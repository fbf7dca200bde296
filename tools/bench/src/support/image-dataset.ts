import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createMediaTools } from '@dataflow/media'
import { repoPath } from './paths.js'

interface SampleImage {
  path: string
  task: string | undefined
}

/** The image records of data/sample (videos left out), with their task (record's, else dataset's). */
export async function readSampleImages(): Promise<SampleImage[]> {
  const root = repoPath('data/sample/')
  const metafile = JSON.parse(await readFile(join(root, 'Metafile.json'), 'utf8')) as Record<
    string,
    { root: string; annotation: string; task?: string; modality?: string }
  >
  const images: SampleImage[] = []
  for (const dataset of Object.values(metafile)) {
    if (dataset.modality === 'video') continue
    const records = JSON.parse(await readFile(join(root, dataset.annotation), 'utf8')) as Array<{
      image?: string
      task?: string
    }>
    for (const record of records) {
      if (record.image === undefined) continue
      images.push({ path: resolve(root, dataset.root, record.image), task: record.task ?? dataset.task })
    }
  }
  return images
}

/**
 * A Metafile of `count` image items made from the sample images, each one DISTINCT in content
 * (re-encoded at another JPEG quality and size), so that neither our media cache nor the
 * server's prefix cache sees the same image twice across items. The records interleave the
 * sample datasets and keep their task (items without one are routed by the model).
 * Built once per count in the temp folder and reused.
 */
export async function imageDataset(count: number): Promise<string> {
  const folder = join(tmpdir(), `dataflow-bench-images-${count}-v1`)
  const metafilePath = join(folder, 'Metafile.json')
  try {
    await access(metafilePath)
    return metafilePath
  } catch {
    // not built yet
  }
  const building = `${folder}.building-${process.pid}`
  await rm(building, { recursive: true, force: true })
  await mkdir(join(building, 'images'), { recursive: true })
  const samples = await readSampleImages()
  const media = createMediaTools()
  const records: Array<Record<string, unknown>> = []
  let next = 0
  const makeOne = async (index: number) => {
    const sample = samples[index % samples.length]!
    const replica = Math.floor(index / samples.length)
    const ref = await media.prepareImage(sample.path, {
      quality: 90 - (replica % 20),
      maxPixels: 1003520 - Math.floor(replica / 20) * 12544,
    })
    const name = `img-${String(index).padStart(6, '0')}.jpg`
    await writeFile(join(building, 'images', name), await media.readImage(ref))
    records[index] = {
      id: index,
      image: name,
      conversations: [{ from: 'human', value: '<image>\nDescribe the image.' }],
      width: ref.width,
      height: ref.height,
      ...(sample.task === undefined ? {} : { task: sample.task }),
    }
  }
  await Promise.all(
    [0, 1].map(async () => {
      while (next < count) await makeOne(next++)
    }),
  )
  await media.close()
  await writeFile(join(building, 'annotation.json'), JSON.stringify(records))
  await writeFile(
    join(building, 'Metafile.json'),
    JSON.stringify(
      { 'bench-images': { root: 'images', annotation: 'annotation.json', length: count, modality: 'image' } },
      null,
      2,
    ),
  )
  await rm(folder, { recursive: true, force: true })
  await rename(building, folder)
  return metafilePath
}
