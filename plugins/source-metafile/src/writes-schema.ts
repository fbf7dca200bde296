import type { JsonSchema } from '@dataflow/sdk'

/** The item fields this source produces. */
export const writesSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'dataset', 'modality', 'media', 'sourceIndex'],
  properties: {
    id: { type: 'string', description: '`<dataset>/<record id>`, or `<dataset>/<index>` for records without an id.' },
    dataset: { type: 'string', description: 'The Metafile key of the dataset.' },
    modality: {
      enum: ['image', 'video'],
      description: '`video` when the record has `video` or the dataset says video.',
    },
    media: { type: 'string', description: 'Absolute path of the image or video (dataset root + relative path).' },
    image: { type: 'string', description: 'The image path as written in the annotation (relative to the root).' },
    video: { type: 'string', description: 'The video path as written in the annotation.' },
    task: {
      type: 'string',
      description: "Domain: the record's `task`, else the dataset's; absent when neither is set (the router decides).",
    },
    conversations: { type: 'array', description: "The record's conversations, unchanged." },
    width: { type: 'number', description: 'Width from the annotation.' },
    height: { type: 'number', description: 'Height from the annotation.' },
    sourceIndex: { type: 'integer', description: '0-based position of the record in its annotation file.' },
  },
}
