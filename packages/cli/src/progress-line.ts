import type { RunProgress } from '@dataflow/core'
import { sampleTime, type Observable, type Subscription } from 'rxjs'

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?'
  if (seconds < 60) return `${Math.round(seconds)}s`
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`
}

/** One line: done/total, items/s, ETA, outcomes so far. */
export function formatProgress(progress: RunProgress): string {
  const seconds = progress.elapsedMs / 1000
  const rate = seconds > 0 ? progress.done / seconds : 0
  const total = progress.total === undefined ? '' : `/${progress.total}`
  const percent = progress.total ? ` ${Math.floor((progress.done / progress.total) * 100)}%` : ''
  const eta =
    progress.total !== undefined && rate > 0 ? ` eta ${formatDuration((progress.total - progress.done) / rate)}` : ''
  return `${progress.done}${total}${percent}  ${rate.toFixed(1)} items/s${eta}  ok ${progress.ok}  rejected ${progress.rejected}  errors ${progress.error}`
}

/** Redraws the progress line on a TTY a few times per second; does nothing elsewhere. */
export function renderProgress(
  progress$: Observable<RunProgress>,
  stream: NodeJS.WriteStream,
): Subscription | undefined {
  if (!stream.isTTY) return undefined
  let last = ''
  const subscription = progress$.pipe(sampleTime(250)).subscribe((progress) => {
    last = formatProgress(progress)
    stream.write(`\r\x1b[2K${last}`)
  })
  subscription.add(() => {
    if (last) stream.write('\r\x1b[2K')
  })
  return subscription
}
