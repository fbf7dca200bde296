import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DataflowError } from '@dataflow/sdk'

/** True while a process with this id runs (on this host). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes `<run dir>/run.lock` (the process id) so that two processes never write one run
 * directory at once. A lock left by a process that died (SIGKILL) is taken over.
 * Returns the release function.
 */
export function lockRunDirectory(runDir: string): () => void {
  const path = join(runDir, 'run.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' })
      return () => rmSync(path, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number.parseInt(readFileSync(path, 'utf8'), 10)
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new DataflowError('DATAFLOW_USAGE', `${runDir} is in use by another dataflow process (pid ${holder})`, {
          hint: `wait for it to end, or stop it (kill ${holder}); a run directory takes one process at a time`,
        })
      }
      rmSync(path, { force: true })
    }
  }
  throw new DataflowError('DATAFLOW_USAGE', `cannot lock ${runDir}: another process keeps taking ${path}`)
}
