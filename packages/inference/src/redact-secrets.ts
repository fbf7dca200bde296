/**
 * Removes secrets from text that may reach logs, errors or reports: the given key values, any
 * `Bearer` token and anything shaped like an OpenAI-style key (`sk-...`, servers echo them in 401s).
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let result = text
  for (const secret of secrets) if (secret.length >= 4) result = result.split(secret).join('[redacted]')
  return result.replace(/(bearer\s+)[^\s"',}]+/gi, '$1[redacted]').replace(/\bsk-[A-Za-z0-9_*-]{4,}/g, 'sk-[redacted]')
}
