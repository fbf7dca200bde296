/** One dataset to read: where its annotation file and media are, and its defaults. */
export interface DatasetSpec {
  /** The Metafile key; item ids are `<name>/<record id>`. */
  name: string
  /** Absolute folder the media paths are relative to. */
  root: string
  /** Absolute path of the annotation file (JSON list, or JSONL for `.jsonl`). */
  annotation: string
  /** Domain for every record without its own `task`. */
  task?: string
  /** `video` makes every record of the dataset a video item. */
  modality?: 'image' | 'video'
  /** Use only the first N records. */
  sampleCount?: number
  /** Number of records the Metafile declares. */
  length?: number
  /** `file:line:column` where the dataset is declared, for messages. */
  declaredAt: string
}

/** A contiguous run of records of one dataset: indices [start, end). */
export interface DatasetSlice {
  dataset: DatasetSpec
  start: number
  /** Exclusive; Infinity for "to the end" when the length is not known yet. */
  end: number
}
