/** A tar member's WebDataset key and extension: `train/000123.seg.png` -> key `train/000123`, extension `seg.png`. */
export interface MemberName {
  key: string
  /** Lower-cased; empty when the file name has no dot. */
  extension: string
}

/** Splits a member name the way WebDataset does: the key runs up to the first dot of the file name. */
export function splitMemberName(name: string): MemberName {
  const slash = name.lastIndexOf('/')
  const dot = name.indexOf('.', slash + 1)
  if (dot < 0) return { key: name, extension: '' }
  return { key: name.slice(0, dot), extension: name.slice(dot + 1).toLowerCase() }
}
