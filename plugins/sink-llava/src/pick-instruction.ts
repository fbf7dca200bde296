/** Picks one prompt of a list from the id (FNV-1a hash): the same id always gets the same prompt. */
export function pickInstruction(instructions: string | readonly string[], id: string): string {
  if (typeof instructions === 'string') return instructions
  let hash = 0x811c9dc5
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return instructions[hash % instructions.length]!
}
