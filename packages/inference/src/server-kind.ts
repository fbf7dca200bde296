/** The kind of server behind a model's URL: what it accepts beyond the OpenAI API. */
export type ServerKind = 'vllm' | 'sglang' | 'lmdeploy' | 'openai'

export const SERVER_KINDS: readonly ServerKind[] = ['vllm', 'sglang', 'lmdeploy', 'openai']

/** Which request `priority` a server runs first. */
export type PriorityDirection = 'lower-first' | 'higher-first'

/** What one kind of server takes, from its documentation. */
export interface ServerTraits {
  /** Direction of its per-request `priority`, when it documents one (undefined: give it explicitly). */
  priority: PriorityDirection | undefined
  /** How to start it so that `priority` is honoured (for messages). */
  priorityFlag: string | undefined
}

/**
 * One table for what differs between servers. Structured output is the same everywhere:
 * `response_format` with `json_schema` (vLLM, SGLang, lmdeploy and OpenAI all take it), so no
 * kind gets engine-specific parameters (vLLM removed `guided_json` and the other `guided_*`
 * fields in 0.12; see {@link REMOVED_PARAMETERS}).
 */
export const SERVER_TRAITS: Record<ServerKind, ServerTraits> = {
  vllm: { priority: 'lower-first', priorityFlag: '--scheduling-policy priority' },
  sglang: { priority: 'higher-first', priorityFlag: '--enable-priority-scheduling' },
  lmdeploy: { priority: undefined, priorityFlag: undefined },
  openai: { priority: undefined, priorityFlag: undefined },
}

/**
 * Body fields no current server takes for structured output: vLLM's `guided_*` (removed in 0.12
 * in favour of `response_format` / `structured_outputs`). Sending them fails (400) or, on older
 * servers, silently overrides the schema dataflow validates against; they are refused in `extra`.
 */
export const REMOVED_PARAMETERS: readonly string[] = [
  'guided_json',
  'guided_regex',
  'guided_choice',
  'guided_grammar',
  'guided_whitespace_pattern',
  'guided_decoding_backend',
]

/** The `priority` field for a node at `depth` (deeper first), in the server's direction. */
export function toRequestPriority(depth: number, direction: PriorityDirection): number {
  // Root nodes get 0, the servers' default; deeper nodes move ahead of it.
  return direction === 'lower-first' && depth !== 0 ? -depth : depth
}
