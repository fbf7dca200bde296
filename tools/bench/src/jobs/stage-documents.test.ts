import { describe, expect, it } from 'vitest'
import { toStageDocuments } from './stage-documents.js'

const document = {
  version: 1,
  name: 'p',
  source: { uses: 'source' },
  nodes: {
    media: { uses: 'media' },
    route: { uses: 'router', needs: ['media'] },
    ocr: { uses: 'agent', needs: ['media', 'route'], when: "route.domain == 'document'", onError: 'continue' },
    summary: { uses: 'aggregator', needs: ['media', 'ocr'] },
  },
  sinks: { out: { uses: 'sink' } },
}

describe('toStageDocuments', () => {
  it("runs each stage's own nodes and replays earlier ones with the same needs, when and onError", () => {
    const stages = toStageDocuments(document, [['media', 'route'], ['ocr'], ['summary']])
    expect(stages).toHaveLength(3)
    type Stage = {
      source: { with?: unknown }
      nodes: Record<string, { uses?: string; needs?: string[] }>
      sinks: Record<string, { with?: unknown }>
    }
    const [first, second, third] = stages as unknown as [Stage, Stage, Stage]
    expect(first.source).toEqual({ uses: 'source' })
    expect(Object.keys(first.nodes)).toEqual(['media', 'route'])
    expect(first.sinks['next']?.with).toEqual({ key: 'stage-1' })
    expect(second.source.with).toEqual({ key: 'stage-1' })
    expect(second.nodes['ocr']).toEqual(document.nodes.ocr)
    expect(second.nodes['route']?.uses).toMatch(/replay-node\.js$/)
    expect(second.nodes['route']?.needs).toEqual(['media'])
    expect(Object.keys(second.nodes)).not.toContain('summary')
    expect(third.nodes['ocr']).toMatchObject({
      with: { node: 'ocr' },
      when: "route.domain == 'document'",
      onError: 'continue',
      needs: ['media', 'route'],
    })
    expect(third.sinks).toEqual(document.sinks)
  })

  it('refuses a split that leaves a node out', () => {
    expect(() => toStageDocuments(document, [['media', 'route'], ['summary']])).toThrow(/ocr/)
  })
})
