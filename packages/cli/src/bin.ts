#!/usr/bin/env node
import { main } from './main.js'
import { registerSdkResolution } from './register-sdk-resolution.js'

// Plugins and local node files anywhere import this CLI's @dataflow/sdk.
registerSdkResolution()

const exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  onSignal(signal, listener) {
    process.on(signal, listener)
    return () => process.off(signal, listener)
  },
})
process.exitCode = exitCode
