import { pino, type Logger, type LevelWithSilent } from 'pino'
import pretty from 'pino-pretty'

/** The coordinator's or worker's own log: concise lines on stderr (each chunk keeps its full log in its run.log). */
export function createConsoleLogger(
  level: LevelWithSilent,
  destination: NodeJS.WritableStream = process.stderr,
): Logger {
  return pino(
    { level, redact: ['apiKey', '*.apiKey', 'authorization', '*.authorization'] },
    pretty({ destination, colorize: false, sync: true, singleLine: true, ignore: 'pid,hostname' }),
  )
}
