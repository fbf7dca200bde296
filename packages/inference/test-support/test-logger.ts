import { pino, type Logger } from 'pino'

/** A pino logger that keeps every line, to assert on what was logged (and what never is). */
export function createCapturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = []
  const logger = pino(
    { level: 'debug' },
    {
      write: (line: string) => {
        lines.push(line)
      },
    },
  )
  return { logger, lines }
}
