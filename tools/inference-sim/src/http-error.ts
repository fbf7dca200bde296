/** vLLM's error types by HTTP status (its `ErrorInfo.type`). */
const ERROR_TYPES: Record<number, string> = {
  400: 'BadRequestError',
  404: 'NotFoundError',
  405: 'MethodNotAllowedError',
  413: 'BadRequestError',
  429: 'RateLimitError',
  500: 'InternalServerError',
  503: 'ServiceUnavailableError',
}

/** An error answered to the client in vLLM's shape: `{ error: { message, type, param, code } }`. */
export class HttpError extends Error {
  readonly status: number
  readonly param: string | null
  readonly headers: Record<string, string>

  constructor(status: number, message: string, options: { param?: string; headers?: Record<string, string> } = {}) {
    super(message)
    this.name = 'HttpError'
    this.status = status
    this.param = options.param ?? null
    this.headers = options.headers ?? {}
  }

  toBody(): { error: { message: string; type: string; param: string | null; code: number } } {
    return {
      error: { message: this.message, type: ERROR_TYPES[this.status] ?? 'Error', param: this.param, code: this.status },
    }
  }
}

export function badRequest(message: string, param?: string): HttpError {
  return new HttpError(400, message, param === undefined ? {} : { param })
}
