import { defineConfig } from 'vitest/config'

// sharp and ffmpeg run on real files; a shared 2-core machine needs more than the 5 s default.
export default defineConfig({ test: { testTimeout: 30_000 } })
