/**
 * Version of the plugin contract (the shapes in node-definition.ts and what the engine passes to
 * them). A definition states the version it was written for as `specVersion`; an engine refuses
 * versions it does not implement, with a message that says which to upgrade. Raised only when
 * a change breaks existing plugins.
 */
export const SPEC_VERSION = 1

/** The contract versions this SDK's engine can run. */
export const SUPPORTED_SPEC_VERSIONS: readonly number[] = [1]
