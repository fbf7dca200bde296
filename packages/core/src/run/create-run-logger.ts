import { pino, type Logger, type LevelWithSilent } from 'pino'
import pretty from 'pino-pretty'

export interface RunLoggerOptions {
  /** JSON log file in the run directory; everything at `fileLevel` and above. */
  file: string
  /** Terminal level. Default info. */
  level?: LevelWithSilent
  /** No terminal log at all. */
  quiet?: boolean
  /** Where the concise human log goes. Default stderr. */
  terminal?: NodeJS.WritableStream
  colorize?: boolean
}

/** Paths pino redacts wherever they appear, in case a plugin logs a request or a config. */
const REDACT = [
  'apiKey',
  '*.apiKey',
  'headers.authorization',
  '*.headers.authorization',
  'authorization',
  '*.authorization',
]

/** A pino logger writing JSON to the run's log file and a concise human log to the terminal. */
export function createRunLogger(options: RunLoggerOptions): { logger: Logger; close(): Promise<void> } {
  const level = options.level ?? 'info'
  const file = pino.destination({ dest: options.file, sync: false, mkdir: true })
  const streams: pino.StreamEntry[] = [
    { level: level === 'silent' ? 'info' : level === 'trace' || level === 'debug' ? level : 'info', stream: file },
  ]
  if (!options.quiet && level !== 'silent') {
    streams.push({
      level,
      stream: pretty({
        destination: options.terminal ?? process.stderr,
        colorize: options.colorize ?? false,
        sync: true,
        ignore: 'pid,hostname',
        translateTime: 'HH:MM:ss',
        singleLine: true,
      }),
    })
  }
  const logger = pino(
    { level: level === 'silent' ? 'info' : level, redact: { paths: REDACT, censor: '[redacted]' } },
    pino.multistream(streams),
  )
  return {
    logger,
    close: () =>
      new Promise<void>((resolve) => {
        file.flush(() => resolve())
      }),
  }
}
