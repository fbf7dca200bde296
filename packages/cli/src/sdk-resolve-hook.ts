import type { InitializeHook, ResolveHook } from 'node:module'

/** What {@link registerSdkResolution} passes to the hook thread. */
export interface SdkResolveData {
  /** A module URL of the CLI: `@dataflow/sdk` is resolved as if this module imported it. */
  parentURL: string
}

let cliModuleUrl: string | undefined

export const initialize: InitializeHook<SdkResolveData> = (data) => {
  cliModuleUrl = data.parentURL
}

/**
 * Resolves `@dataflow/sdk` (and its subpaths) imported by any module (a local node file, a plugin
 * package in any folder) to the CLI's own copy, honouring the SDK's `exports`. Plugins list the SDK
 * as a peer dependency: the engine and every plugin share one contract and one module instance.
 */
export const resolve: ResolveHook = (specifier, context, nextResolve) => {
  if (cliModuleUrl !== undefined && (specifier === '@dataflow/sdk' || specifier.startsWith('@dataflow/sdk/')))
    return nextResolve(specifier, { ...context, parentURL: cliModuleUrl })
  return nextResolve(specifier, context)
}
