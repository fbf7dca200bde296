import type { IncomingMessage } from 'node:http'
import { HttpError } from './http-error.js'

/** Largest request body accepted (base64 images make bodies large). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024

/** Reads the whole body; rejects with a 413 HttpError beyond `limit`, or the stream's error. */
export function readBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        request.off('data', onData)
        request.resume()
        reject(new HttpError(413, `The request body is larger than ${limit} bytes.`))
        return
      }
      chunks.push(chunk)
    }
    request.on('data', onData)
    request.once('end', () => resolve(Buffer.concat(chunks)))
    request.once('error', reject)
    request.once('close', () => {
      if (!request.complete) reject(new Error('client closed the request before sending the whole body'))
    })
  })
}

/** Parses a JSON body; a 400 HttpError names what is wrong. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'))
  } catch (error) {
    throw new HttpError(400, `The request body is not valid JSON: ${(error as Error).message}`)
  }
}
