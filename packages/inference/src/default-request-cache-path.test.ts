import { describe, expect, it } from 'vitest'
import { defaultRequestCachePath } from './default-request-cache-path.js'

describe('defaultRequestCachePath', () => {
  it('prefers DATAFLOW_CACHE_DIR, then an absolute XDG_CACHE_HOME, then ~/.cache', () => {
    expect(defaultRequestCachePath({ DATAFLOW_CACHE_DIR: '/fast/cache', XDG_CACHE_HOME: '/xdg' }, '/home/u')).toBe(
      '/fast/cache/requests.sqlite',
    )
    expect(defaultRequestCachePath({ XDG_CACHE_HOME: '/xdg' }, '/home/u')).toBe('/xdg/dataflow/requests.sqlite')
    expect(defaultRequestCachePath({ XDG_CACHE_HOME: 'relative' }, '/home/u')).toBe(
      '/home/u/.cache/dataflow/requests.sqlite',
    )
    expect(defaultRequestCachePath({ DATAFLOW_CACHE_DIR: '' }, '/home/u')).toBe(
      '/home/u/.cache/dataflow/requests.sqlite',
    )
  })
})
