import tarStream from 'tar-stream'

/** End-of-archive marker tar-stream appends on finalize: two zero blocks. */
export const TAR_TRAILER_BYTES = 1024
const EPOCH = new Date(0)

/** The tar bytes of a sample's members (headers, data, padding), without the end-of-archive blocks, encoded by tar-stream. */
export async function tarSampleBytes(members: ReadonlyArray<{ name: string; data: Uint8Array }>): Promise<Buffer> {
  const pack = tarStream.pack()
  const chunks: Buffer[] = []
  const collected = (async () => {
    for await (const chunk of pack) chunks.push(chunk)
  })()
  for (const member of members) {
    await new Promise<void>((resolve, reject) =>
      pack.entry(
        { name: member.name, mtime: EPOCH, mode: 0o644, size: member.data.length },
        Buffer.from(member.data),
        (error) => (error ? reject(error) : resolve()),
      ),
    )
  }
  pack.finalize()
  await collected
  const all = Buffer.concat(chunks)
  return all.subarray(0, all.length - TAR_TRAILER_BYTES)
}
