import { rename, writeFile } from 'node:fs/promises'
import { createMediaTools } from '@dataflow/media'
import { telemetryFilesIn } from '../telemetry/telemetry-files.js'
import { renderReport } from './render-report.js'
import { loadReportModel } from './report-model.js'
import { makeThumbnails } from './thumbnails.js'

/**
 * Writes `report.html` in a run directory from its telemetry files (finished, running or killed
 * runs alike) and returns its path and size.
 */
export async function writeRunReport(runDir: string): Promise<{ path: string; bytes: number }> {
  const loaded = await loadReportModel(runDir)
  const media = createMediaTools()
  let thumbnails: Map<string, string>
  try {
    thumbnails = await makeThumbnails(loaded.digest.gallery.items, media)
  } finally {
    await media.close()
  }
  const html = renderReport({ ...loaded, thumbnails })
  const path = telemetryFilesIn(runDir).html
  await writeFile(`${path}.tmp`, html)
  await rename(`${path}.tmp`, path)
  return { path, bytes: Buffer.byteLength(html) }
}
