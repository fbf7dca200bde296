/**
 * Container datasets made from data/sample's images, and the small fixtures of the shard tests.
 *
 *   node tools/generators/shard-data.mjs <out dir> [--repeat N] [--per-shard N] [--row-group N]
 *     writes <out>/webdataset/{00000..}.tar (+ .parquet sidecar, _stats.json), img2dataset style, and
 *     <out>/hf/data/train-0000i-of-0000N.parquet, Hugging Face style; each sample image appears
 *     N times under distinct keys (--repeat, default 1)
 *   node tools/generators/shard-data.mjs --fixtures
 *     writes data/fixtures/shards (a few KB: good, corrupt and truncated shards, HF Parquet files)
 *
 * Deterministic: the same arguments give the same bytes.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { createRandom } from './random.mjs'
import { tarBytes, writeHfParquet, writeImg2datasetShard } from './shard-writers.mjs'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const sampleDir = join(repo, 'data/sample')

/** The sample's images with their reference answer as caption, as JPEG (img2dataset re-encodes to JPEG). */
export async function sampleImages() {
  const metafile = JSON.parse(await readFile(join(sampleDir, 'Metafile.json'), 'utf8'))
  const images = []
  for (const dataset of Object.values(metafile)) {
    if (dataset.modality !== 'image') continue
    const records = JSON.parse(await readFile(join(sampleDir, dataset.annotation), 'utf8'))
    for (const record of records) {
      const path = join(sampleDir, dataset.root, record.image)
      const original = await readFile(path)
      const jpeg = /\.jpe?g$/i.test(path)
        ? original
        : await sharp(original).flatten({ background: '#fff' }).jpeg({ quality: 90 }).toBuffer()
      const caption = record.conversations.find((turn) => turn.from === 'gpt')?.value ?? ''
      images.push({
        name: record.image.replace(/\.\w+$/, '.jpg'),
        jpeg,
        caption,
        width: record.width,
        height: record.height,
      })
    }
  }
  return images
}

const pad = (value, width) => String(value).padStart(width, '0')

/** img2dataset shards of the sample images, `repeat` times each under distinct keys, `perShard` samples a shard. */
export async function writeSampleShards(outDir, { images, repeat = 1, perShard = 100 }) {
  const total = images.length * repeat
  const shards = Math.ceil(total / perShard)
  for (let shard = 0; shard < shards; shard++) {
    const samples = []
    for (let index = shard * perShard; index < Math.min(total, (shard + 1) * perShard); index++) {
      const image = images[index % images.length]
      samples.push({ ...image, key: `${pad(shard, 5)}${pad(index - shard * perShard, 4)}` })
    }
    await writeImg2datasetShard(outDir, pad(shard, 5), samples)
  }
  return shards
}

/** HF-style `data/train-0000i-of-0000N.parquet` files of the sample images. */
export async function writeSampleParquet(outDir, { images, repeat = 1, files = 2, rowGroupRows = 100 }) {
  const rows = []
  for (let index = 0; index < images.length * repeat; index++) {
    const image = images[index % images.length]
    rows.push({ id: `img-${pad(index, 7)}`, name: image.name, bytes: image.jpeg, text: image.caption })
  }
  const perFile = Math.ceil(rows.length / files)
  for (let file = 0; file < files; file++) {
    const name = `train-${pad(file, 5)}-of-${pad(files, 5)}.parquet`
    await writeHfParquet(join(outDir, 'data', name), rows.slice(file * perFile, (file + 1) * perFile), rowGroupRows)
  }
}

/** A tiny noisy JPEG (a few hundred bytes), different per seed. */
async function tinyJpeg(seed, width = 32, height = 24) {
  const random = createRandom(seed)
  const pixels = Buffer.alloc(width * height * 3)
  for (let index = 0; index < pixels.length; index++) pixels[index] = random.int(0, 255)
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 60 })
    .toBuffer()
}

const sampleMembers = (key, jpeg, caption) => [
  { name: `${key}.jpg`, data: jpeg },
  { name: `${key}.json`, data: Buffer.from(JSON.stringify({ key, caption, width: 32, height: 24 })) },
  { name: `${key}.txt`, data: Buffer.from(caption) },
]

/** data/fixtures/shards: the shard and Parquet fixtures of the tests. */
export async function writeShardFixtures(dir) {
  await rm(dir, { recursive: true, force: true })
  const jpegs = await Promise.all([0, 1, 2, 3, 4, 5].map((seed) => tinyJpeg(seed + 1)))
  const samples = jpegs.map((jpeg, index) => ({
    key: `0000${index}`,
    jpeg,
    caption: `tiny picture ${index}`,
    width: 32,
    height: 24,
  }))
  // good/00000.tar and good/00001.tar: three samples each, with sidecars and stats.
  await writeImg2datasetShard(join(dir, 'good'), '00000', samples.slice(0, 3))
  await writeImg2datasetShard(join(dir, 'good'), '00001', samples.slice(3))

  await mkdir(join(dir, 'bad'), { recursive: true })
  // bad/corrupt-member.tar: bad JSON, an image that is not an image, a sample without image, a good one.
  const members = [
    ...sampleMembers('a-good', jpegs[0], 'fine'),
    { name: 'b-badjson.jpg', data: jpegs[1] },
    { name: 'b-badjson.json', data: Buffer.from('{"caption": "cut') },
    { name: 'c-notimage.jpg', data: Buffer.from('this is text, not a JPEG') },
    { name: 'c-notimage.txt', data: Buffer.from('a caption') },
    { name: 'd-noimage.json', data: Buffer.from('{}') },
    { name: 'd-noimage.txt', data: Buffer.from('orphan caption') },
    ...sampleMembers('e-good', jpegs[2], 'also fine'),
  ]
  await writeFile(join(dir, 'bad/corrupt-member.tar'), await tarBytes(members))

  // bad/corrupt-header.tar: the header of k1.json is damaged (its checksum fails); k0 and k2, k3 survive.
  const four = samples.slice(0, 4).flatMap((sample, index) => sampleMembers(`k${index}`, sample.jpeg, sample.caption))
  const tar = await tarBytes(four)
  const header = findHeader(tar, 'k1.json')
  tar[header + 1] ^= 0x55
  await writeFile(join(dir, 'bad/corrupt-header.tar'), tar)

  // bad/truncated.tar: cut inside the data of t2.jpg.
  const three = samples.slice(0, 3).flatMap((sample, index) => sampleMembers(`t${index}`, sample.jpeg, sample.caption))
  const whole = await tarBytes(three)
  const cut = findHeader(whole, 't2.jpg') + 512 + 100
  await writeFile(join(dir, 'bad/truncated.tar'), whole.subarray(0, cut))

  // hf/data: two files, row groups of 2 rows, one row without image bytes.
  const rows = samples.map((sample, index) => ({
    id: `r${index}`,
    name: `${sample.key}.jpg`,
    bytes: index === 4 ? null : sample.jpeg,
    text: sample.caption,
  }))
  await writeHfParquet(join(dir, 'hf/data/train-00000-of-00002.parquet'), rows.slice(0, 3), 2)
  await writeHfParquet(join(dir, 'hf/data/train-00001-of-00002.parquet'), rows.slice(3), 2)
}

/** Offset of the header block whose name field starts with `name`. */
function findHeader(tar, name) {
  for (let offset = 0; offset < tar.length; offset += 512) {
    if (tar.subarray(offset, offset + name.length).toString('latin1') === name && tar[offset + name.length] === 0)
      return offset
  }
  throw new Error(`no header for ${name}`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const option = (name, fallback) => {
    const index = args.indexOf(name)
    return index < 0 ? fallback : Number(args[index + 1])
  }
  if (args[0] === '--fixtures') {
    await writeShardFixtures(join(repo, 'data/fixtures/shards'))
  } else if (args[0] && !args[0].startsWith('--')) {
    const images = await sampleImages()
    const repeat = option('--repeat', 1)
    const shards = await writeSampleShards(join(args[0], 'webdataset'), {
      images,
      repeat,
      perShard: option('--per-shard', 100),
    })
    await writeSampleParquet(join(args[0], 'hf'), { images, repeat, rowGroupRows: option('--row-group', 100) })
    console.log(
      `wrote ${images.length * repeat} samples: ${shards} tar shards in ${join(args[0], 'webdataset')}, Parquet files in ${join(args[0], 'hf/data')}`,
    )
  } else {
    console.error('usage: shard-data.mjs <out dir> [--repeat N] [--per-shard N] [--row-group N] | --fixtures')
    process.exit(2)
  }
}
