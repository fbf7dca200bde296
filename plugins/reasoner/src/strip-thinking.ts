/**
 * The visible part of a reasoning model's answer: what follows the last `</think>`. Servers often
 * put the opening `<think>` in the prompt, so a lone `</think>` also ends a think block. An opened
 * block that never closes (the answer was cut off) hides everything after `<think>`.
 */
export function stripThinking(answer: string): string {
  const close = answer.lastIndexOf('</think>')
  if (close !== -1) return answer.slice(close + '</think>'.length).trim()
  const open = answer.indexOf('<think>')
  return (open === -1 ? answer : answer.slice(0, open)).trim()
}
