#!/usr/bin/env node
// Committed entry so npm links the bin before the first build; the code is in dist/.
await import('../dist/bin.js')
