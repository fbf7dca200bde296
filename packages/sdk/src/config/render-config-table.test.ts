import { describe, expect, it } from 'vitest'
import { modelField, pathField } from '../json-schema.js'
import { field } from './config-field.js'
import { renderConfigTable, withConfigTable } from './render-config-table.js'

describe('renderConfigTable', () => {
  it('renders one row per field with type, default and description, nested fields dotted', () => {
    const table = renderConfigTable(
      field.object(
        {
          model: modelField('Vision | model.', 'vlm'),
          field: pathField('What to read.'),
          format: field.enum(['json', 'jsonl'], { default: 'json' }),
          domains: field.array(field.object({ key: field.string({ description: 'Key.' }) }), {
            default: Array.from({ length: 8 }, (_, index) => ({ key: `domain-${index}` })),
            description: 'Domains.',
          }),
          vars: field.record(field.anyOf([field.string(), field.number()]), { default: {} }),
          path: field.string(),
        },
        { required: ['path'] },
      ),
    )
    expect(table.split('\n')).toEqual([
      '| Field | Type | Default | Description |',
      '| --- | --- | --- | --- |',
      '| `model` | model name | `"vlm"` | Vision \\| model. |',
      '| `field` | path |  | What to read. |',
      '| `format` | `json` \\| `jsonl` | `"json"` |  |',
      '| `domains` | object[] | 8 entries (see description) | Domains. |',
      '| `domains[].key` | string |  | Key. |',
      '| `vars` | { name: string \\| number } | `{}` |  |',
      '| `path` (required) | string |  |  |',
    ])
  })

  it('replaces only the text between the markers', () => {
    const readme = 'intro\n<!-- config:start -->\nold\n<!-- config:end -->\nafter\n'
    expect(withConfigTable(readme, 'new')).toBe('intro\n<!-- config:start -->\nnew\n<!-- config:end -->\nafter\n')
    expect(withConfigTable('no markers', 'new')).toBe('no markers')
  })
})
