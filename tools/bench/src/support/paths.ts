import { fileURLToPath } from 'node:url'

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
/** tools/bench */
export const BENCH_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const benchPipeline = (name: string) => fileURLToPath(new URL(`../../pipelines/${name}`, import.meta.url))
export const repoPath = (path: string) => fileURLToPath(new URL(path, new URL('../../../../', import.meta.url)))
/** Where plugin packages named in generated pipeline files are resolved from (this package depends on all of them). */
export const RESOLVE_FROM = fileURLToPath(import.meta.url)
