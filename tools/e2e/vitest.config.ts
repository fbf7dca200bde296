import { defineConfig } from 'vitest/config'

// End-to-end tests spawn the built CLI and simulators: real processes, real files, real HTTP.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Each file starts its own simulators on random ports; two at a time suit a 2-core machine.
    maxWorkers: 2,
  },
})
