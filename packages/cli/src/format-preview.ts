import type { ItemTrace, NodeTrace } from '@dataflow/core'
import type { RecordedRequest } from '@dataflow/sdk'

/** A model call seen during a preview: which item and node made it, what was sent and answered. */
export interface PreviewExchange {
  sequence: number
  node: string
  request: RecordedRequest
  answer: string
}

/** Per item and node: the prompt sent and the answer, or the node's output when it called no model. */
export function formatPreview(traces: readonly ItemTrace[], exchanges: readonly PreviewExchange[]): string {
  const lines: string[] = []
  for (const trace of traces) {
    lines.push(`item ${trace.id}: ${describeOutcome(trace)}`)
    for (const node of trace.nodes) {
      lines.push(`  ${node.node} [${node.status}, ${Math.round(node.ms)} ms]`)
      const calls = exchanges.filter((exchange) => exchange.sequence === trace.seq && exchange.node === node.node)
      for (const call of calls) {
        lines.push(`    prompt (${call.request.kind} to ${call.request.model}):`)
        lines.push(...indent(renderMessages(call.request), 6))
        lines.push('    answer:')
        lines.push(...indent(call.answer, 6))
      }
      if (calls.length === 0) lines.push(`    ${describeNode(node, 200)}`)
    }
    lines.push('')
  }
  return `${lines.join('\n')}\n`
}

/** One block per item: its outcome and each node's output on one line. */
export function formatRows(traces: readonly ItemTrace[]): string {
  const lines: string[] = []
  for (const trace of traces) {
    lines.push(`${trace.id}: ${describeOutcome(trace)}`)
    for (const node of trace.nodes) lines.push(`  ${node.node}: ${describeNode(node, 160)}`)
  }
  return `${lines.join('\n')}\n`
}

function describeOutcome(trace: ItemTrace): string {
  if (trace.outcome === 'rejected' && trace.rejection)
    return `rejected by ${trace.rejection.node}: ${trace.rejection.reason}`
  if (trace.outcome === 'error' && trace.error) return `error at ${trace.error.node}: ${trace.error.error.message}`
  return trace.outcome ?? 'unfinished'
}

function describeNode(node: NodeTrace, width: number): string {
  if (node.error) return `${node.error.code}: ${node.error.message}`
  if (node.rejection) return `rejected: ${node.rejection.reason}`
  return shorten(JSON.stringify(node.output ?? null), width)
}

function renderMessages(request: RecordedRequest): string {
  return request.messages
    .map((message) => {
      const content =
        typeof message.content === 'string'
          ? message.content
          : message.content
              .map((part) =>
                part.type === 'text'
                  ? part.text
                  : part.type === 'image'
                    ? `[image ${part.hash.slice(0, 12)}]`
                    : `[video, ${part.frames.length} frames]`,
              )
              .join('\n')
      return request.messages.length > 1 || message.role !== 'user' ? `<${message.role}>\n${content}` : content
    })
    .join('\n')
}

function indent(text: string, spaces: number): string[] {
  return text.split('\n').map((line) => `${' '.repeat(spaces)}${line}`)
}

function shorten(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 3)}...` : text
}
