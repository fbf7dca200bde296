import { DataflowError, toMediaLocator, type SourceRecord } from '@dataflow/sdk'
import { IMAGE_EXTENSIONS, MAX_TEXT_BYTES, TEXT_EXTENSIONS } from './media-extensions.js'
import type { ShardSample } from './read-shard.js'
import { splitMemberName } from './split-member-name.js'

/**
 * Turns one sample of a shard into a source record: item fields from its JSON and text members,
 * the image member as a media locator (shard path, byte offset, size: the bytes stay in the
 * shard), or an error record naming the shard and the member.
 */
export function toSourceRecord(shard: string, sample: ShardSample): Omit<SourceRecord, 'position'> {
  const invalid = (message: string, details: Record<string, unknown> = {}): Omit<SourceRecord, 'position'> => ({
    id: sample.key,
    error: new DataflowError('DATAFLOW_INPUT_INVALID', `${shard}: ${message}`, {
      hint: 'Repair or re-create the shard (img2dataset, webdataset), or leave the item as an error record; the other items go on.',
      details: { shard, key: sample.key, ...details },
    }),
  })
  if (sample.damage !== undefined) return invalid(sample.damage)
  const data: Record<string, unknown> = { key: sample.key, shard }
  let image: (typeof sample.members)[number] | undefined
  for (const member of sample.members) {
    const { extension } = splitMemberName(member.name)
    if (IMAGE_EXTENSIONS.has(extension)) {
      image ??= member
      continue
    }
    if (!TEXT_EXTENSIONS.has(extension)) continue
    if (member.data === undefined) {
      return invalid(
        `member ${member.name} is ${member.size} bytes, above the ${MAX_TEXT_BYTES} bytes read into an item`,
        {
          member: member.name,
        },
      )
    }
    const text = member.data.toString('utf8')
    if (extension === 'json') {
      try {
        data['json'] = JSON.parse(text)
      } catch (error) {
        return invalid(`member ${member.name}: not valid JSON (${(error as Error).message.slice(0, 120)})`, {
          member: member.name,
        })
      }
    } else {
      data[extension] = text
    }
  }
  if (!image) {
    const names = sample.members.map((member) => member.name).join(', ')
    return invalid(`sample "${sample.key}" has no image member (it has ${names || 'no members'})`)
  }
  data['media'] = toMediaLocator({
    kind: 'tar-member',
    path: shard,
    member: image.name,
    offset: image.offset,
    size: image.size,
  })
  data['modality'] = 'image'
  return { id: sample.key, data }
}
