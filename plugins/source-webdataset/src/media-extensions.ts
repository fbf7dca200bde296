/** Member extensions read as the item's image (WebDataset and img2dataset names). */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  'jpg',
  'jpeg',
  'png',
  'webp',
  'gif',
  'bmp',
  'tif',
  'tiff',
  'avif',
  'heic',
  'ppm',
  'pgm',
  'pnm',
])

/** Member extensions whose UTF-8 text becomes an item field of that name (`json` is parsed). */
export const TEXT_EXTENSIONS: ReadonlySet<string> = new Set(['json', 'txt', 'text', 'caption', 'cls', 'id', 'url'])

/** Text and JSON members larger than this are not read into items (items stay small; the journal keeps them). */
export const MAX_TEXT_BYTES = 1 << 20
