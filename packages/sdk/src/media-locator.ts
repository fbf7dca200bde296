/**
 * Where the bytes of a media file are: a file of its own, a member of a tar shard, or a cell of
 * a Parquet file. Sources put a locator string (see {@link toMediaLocator}) in the item instead
 * of the bytes, so that items stay small JSON; the media tools read the bytes when a node asks.
 */
export type MediaLocation =
  | { kind: 'file'; path: string }
  | {
      kind: 'tar-member'
      /** The tar file (absolute). */
      path: string
      /** The member's name inside the tar (`000123.jpg`). */
      member: string
      /** Byte offset of the member's data in the tar file (after its header). */
      offset: number
      /** Size of the member's data in bytes. */
      size: number
    }
  | {
      kind: 'parquet-cell'
      /** The Parquet file (absolute). */
      path: string
      /** Dotted path of the column holding the bytes (`image.bytes`). */
      column: string
      /** 0-based row group of the file. */
      rowGroup: number
      /** 0-based row within that row group. */
      row: number
    }

const TAR = 'tar:'
const PARQUET = 'parquet:'

/**
 * The string form of a location, readable in error messages:
 * `tar:/data/00000.tar#offset=1536&size=40213&member=000001.jpg`,
 * `parquet:/data/train-00000.parquet#column=image.bytes&rowGroup=0&row=17`, or a plain path.
 * The member name comes last so that the extension of the string is the member's.
 */
export function toMediaLocator(location: MediaLocation): string {
  switch (location.kind) {
    case 'file':
      return location.path
    case 'tar-member':
      return `${TAR}${location.path}#offset=${location.offset}&size=${location.size}&member=${encodeURIComponent(location.member)}`
    case 'parquet-cell':
      return `${PARQUET}${location.path}#column=${encodeURIComponent(location.column)}&rowGroup=${location.rowGroup}&row=${location.row}`
  }
}

/**
 * Reads a locator written by {@link toMediaLocator}; any other string is a file path. A string
 * that starts like a locator but is malformed is taken as a file path too (and then not found).
 */
export function toMediaLocation(locator: string): MediaLocation {
  const scheme = locator.startsWith(TAR) ? TAR : locator.startsWith(PARQUET) ? PARQUET : undefined
  const hash = locator.lastIndexOf('#')
  if (scheme === undefined || hash < 0) return { kind: 'file', path: locator }
  const path = locator.slice(scheme.length, hash)
  const fields = new URLSearchParams(locator.slice(hash + 1))
  const count = (name: string) => {
    const text = fields.get(name)
    const value = text === null || !/^\d+$/.test(text) ? Number.NaN : Number(text)
    return Number.isSafeInteger(value) ? value : undefined
  }
  if (scheme === TAR) {
    const member = fields.get('member')
    const offset = count('offset')
    const size = count('size')
    if (member !== null && offset !== undefined && size !== undefined)
      return { kind: 'tar-member', path, member, offset, size }
  } else {
    const column = fields.get('column')
    const rowGroup = count('rowGroup')
    const row = count('row')
    if (column && rowGroup !== undefined && row !== undefined)
      return { kind: 'parquet-cell', path, column, rowGroup, row }
  }
  return { kind: 'file', path: locator }
}

/** True when the string points into a container (tar member, Parquet cell) rather than at a file. */
export function isContainerLocator(locator: string): boolean {
  return toMediaLocation(locator).kind !== 'file'
}
