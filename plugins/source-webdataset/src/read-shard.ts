import { basename } from 'node:path'
import { readTarMembers, toBlockEnd, type TarDamage, type TarMember } from './read-tar-members.js'
import { splitMemberName } from './split-member-name.js'

/** One WebDataset sample: the consecutive members that share a key. */
export interface ShardSample {
  key: string
  members: TarMember[]
  /** Offset where the headers after this sample start: reading the shard from here yields the samples after it. */
  end: number
  /** Set when the sample cannot be trusted: what went wrong, naming the member. */
  damage?: string
}

export interface ReadShardOptions {
  /** Offset (a sample's `end`) to start at. Default 0. */
  from?: number
  /** Member extensions (lower case, after the key's dot) whose bytes become item fields. */
  dataExtensions: ReadonlySet<string>
  /** Text and JSON members above this size are not read. */
  maxDataBytes: number
}

/**
 * Reads one tar shard as WebDataset samples, in order: members are grouped by key (the member
 * name up to the first dot of its file name), as WebDataset does. Self-contained: one shard,
 * one call, from any sample boundary; damage to the file gives damaged samples and reading
 * goes on where it can (the next valid header after a corrupt one).
 */
export async function* readShard(path: string, options: ReadShardOptions): AsyncGenerator<ShardSample> {
  let sample: ShardSample | undefined
  // After a corrupt header, members of the sample it broke are skipped: that sample already has its error.
  let brokenKey: string | undefined
  const members = readTarMembers(path, {
    ...(options.from === undefined ? {} : { from: options.from }),
    maxDataBytes: options.maxDataBytes,
    wantData: (name) => options.dataExtensions.has(splitMemberName(name).extension),
  })
  for await (const event of members) {
    if (event.damage) {
      const damaged = damagedSamples(sample, event.damage, basename(path))
      for (const broken of damaged) yield broken
      sample = undefined
      brokenKey = damaged.at(-1)?.key
      continue
    }
    const { member } = event
    const { key } = splitMemberName(member.name)
    if (key === brokenKey) continue
    brokenKey = undefined
    if (sample && sample.key !== key) {
      yield sample
      sample = undefined
    }
    sample ??= { key, members: [], end: 0 }
    sample.members.push(member)
    sample.end = toBlockEnd(member.offset, member.size)
  }
  if (sample) yield sample
}

/** The samples a damage breaks: the one being assembled, and the one whose member was cut, if another. */
function damagedSamples(sample: ShardSample | undefined, damage: TarDamage, shardName: string): ShardSample[] {
  const end = damage.resumedAt ?? damage.at
  const cutKey = damage.inside === undefined ? undefined : splitMemberName(damage.inside).key
  const result: ShardSample[] = []
  if (damage.kind === 'truncated') {
    if (cutKey !== undefined && sample && sample.key !== cutKey) result.push(sample)
    else if (sample)
      result.push({
        ...sample,
        end,
        damage:
          cutKey === undefined
            ? `the shard is truncated after member ${sample.members.at(-1)!.name} (at byte ${damage.at}): the sample may be incomplete`
            : `the shard is truncated inside member ${damage.inside}`,
      })
    if (cutKey !== undefined && (!sample || sample.key !== cutKey))
      result.push({ key: cutKey, members: [], end, damage: `the shard is truncated inside member ${damage.inside}` })
    return result
  }
  const skipped =
    damage.resumedAt === undefined
      ? 'nothing after it could be read'
      : `${damage.resumedAt - damage.at} bytes skipped to the next valid header`
  if (sample) {
    result.push({
      ...sample,
      end,
      damage: `corrupt tar header after member ${sample.members.at(-1)!.name} (at byte ${damage.at}; ${skipped}): the sample may be incomplete`,
    })
  } else {
    // No sample to blame: the skipped bytes still get one outcome, so that the loss shows.
    result.push({
      key: `${shardName}@${damage.at}`,
      members: [],
      end,
      damage: `corrupt tar header at byte ${damage.at} (${skipped}): the samples there cannot be read`,
    })
  }
  return result
}
