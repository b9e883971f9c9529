// The plugin's settings as a test worker sees them (`provide`/`inject`); defaults without the plugin.
import { decodeSettings, provideKey, type WorkerSettings } from '../config.js'
import { inject } from './vitest-api.js'

let cached: WorkerSettings | undefined

export function workerSettings(): WorkerSettings {
  if (cached) return cached
  let raw: unknown
  try {
    raw = (inject as (key: string) => unknown)(provideKey)
  } catch {
    raw = undefined
  }
  cached = raw ? decodeSettings<WorkerSettings>(raw) : { options: {}, eachTest: false }
  return cached
}
