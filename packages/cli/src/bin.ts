#!/usr/bin/env node
import { main } from './main.js'

const exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  onSignal(signal, listener) {
    process.on(signal, listener)
    return () => process.off(signal, listener)
  },
})
process.exitCode = exitCode
