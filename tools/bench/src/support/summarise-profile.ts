import { readFile } from 'node:fs/promises'

/** The parts of a V8 `.cpuprofile` that attribution needs. */
interface CpuProfile {
  nodes: Array<{
    id: number
    callFrame: { functionName: string; url: string; lineNumber: number }
    children?: number[]
  }>
  samples: number[]
  timeDeltas: number[]
}

export interface ProfileShare {
  owner: string
  ms: number
}

/** The package a script belongs to: `node_modules/<name>`, or `packages/x`, `plugins/x`, `tools/x` of this repository. */
function ownerOf(url: string): string | undefined {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (dependency) return dependency[1]
  const workspace = /\/((?:packages|plugins|tools)\/[^/]+)\//.exec(url)
  return workspace?.[1]
}

/**
 * Attributes every busy sample of a CPU profile to the nearest package on its stack (the code
 * that asked for the work, e.g. node:http time under our fetch counts for packages/inference);
 * samples with no package on the stack are Node internals, named by the outermost frame, or
 * V8's own entries (garbage collector, program).
 */
export async function summariseProfile(path: string): Promise<{ busyMs: number; shares: ProfileShare[] }> {
  const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const selfUs = new Map<number, number>()
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)))
  const owners = new Map<string, number>()
  let busy = 0
  for (const [id, us] of selfUs) {
    const leaf = byId.get(id)!.callFrame
    if (leaf.functionName === '(idle)') continue
    busy += us
    let owner: string | undefined
    let outermost = leaf
    for (
      let current: number | undefined = id;
      current !== undefined && owner === undefined;
      current = parent.get(current)
    ) {
      const frame = byId.get(current)!.callFrame
      owner = ownerOf(frame.url)
      if (frame.functionName !== '(root)') outermost = frame
    }
    owner ??= leaf.functionName.startsWith('(')
      ? leaf.functionName
      : `node internals (${outermost.functionName || 'anonymous'})`
    owners.set(owner, (owners.get(owner) ?? 0) + us)
  }
  const shares = [...owners].map(([owner, us]) => ({ owner, ms: us / 1000 })).sort((a, b) => b.ms - a.ms)
  return { busyMs: busy / 1000, shares }
}
