import type { FileHandle } from 'node:fs/promises'

const BLOCK = 512
const SCAN_BYTES = 1 << 20

/** True when a 512-byte block is a tar header: not all zeros and its checksum matches. */
export function isTarHeader(block: Uint8Array): boolean {
  if (block.length < BLOCK) return false
  let sum = 0
  let zeros = true
  for (let index = 0; index < BLOCK; index++) {
    const byte = index >= 148 && index < 156 ? 0x20 : block[index]!
    if (block[index] !== 0) zeros = false
    sum += byte
  }
  if (zeros) return false
  const field = Buffer.from(block.subarray(148, 156))
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .trim()
  return /^[0-7]+$/.test(field) && parseInt(field, 8) === sum
}

/**
 * Scans a tar file block by block from `from` (512-aligned) for the next valid header, to go on
 * after a corrupt one. Returns its offset, or undefined when the file has none left.
 */
export async function findNextHeader(file: FileHandle, from: number): Promise<number | undefined> {
  const buffer = Buffer.allocUnsafe(SCAN_BYTES)
  let position = from
  for (;;) {
    const { bytesRead } = await file.read(buffer, 0, SCAN_BYTES, position)
    if (bytesRead < BLOCK) return undefined
    for (let offset = 0; offset + BLOCK <= bytesRead; offset += BLOCK) {
      if (isTarHeader(buffer.subarray(offset, offset + BLOCK))) return position + offset
    }
    position += bytesRead - (bytesRead % BLOCK)
  }
}
