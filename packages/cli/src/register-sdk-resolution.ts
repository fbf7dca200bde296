import { register } from 'node:module'
import type { SdkResolveData } from './sdk-resolve-hook.js'

/**
 * Makes `import '@dataflow/sdk'` in plugins and local node files load the CLI's own SDK, wherever
 * they live (a folder outside any project, a package without node_modules). Called once by the
 * `dataflow` binary before any plugin is imported.
 */
export function registerSdkResolution(): void {
  const data: SdkResolveData = { parentURL: import.meta.url }
  register('./sdk-resolve-hook.js', { parentURL: import.meta.url, data })
}
