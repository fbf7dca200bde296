import { defineSource } from '@dataflow/sdk'
import { configSchema, type FilesSourceConfig } from './config.js'
import { createFilesSource } from './files-source.js'

export type { FilesSourceConfig } from './config.js'

/** Source: one item per image or video file of a folder, selected by glob, in a stable order. */
export default defineSource<FilesSourceConfig>({
  specVersion: 1,
  name: '@dataflow/plugin-source-files',
  version: '0.1.0',
  description: 'One item per file of a folder selected by glob (images and videos by default), in sorted order.',
  config: configSchema,
  writes: {
    type: 'object',
    required: ['id', 'media', 'relativePath', 'name', 'size', 'modality', 'dataset'],
    properties: {
      id: { type: 'string', description: 'The relative path (`/`-separated).' },
      media: { type: 'string', description: 'Absolute path of the file.' },
      relativePath: { type: 'string', description: 'Path relative to `dir`, `/`-separated.' },
      name: { type: 'string', description: 'File name with extension.' },
      size: { type: 'integer', description: 'Size in bytes.' },
      modality: { enum: ['image', 'video'], description: 'From the file extension.' },
      dataset: { type: 'string', description: 'The `dataset` setting, or the folder name.' },
    },
  },
  create: (config, context) => createFilesSource(config, context),
})
