// Matcher and plugin types against Vitest 4's real declarations (skipLibCheck off).
import { describe, expect, test } from 'vitest'
import { typecheck, vitest4 } from './harness.js'

describe('Vitest 4 types', () => {
  test('toLeak / toBeCollected / plugin / reporter type-check; typos do not', () => {
    const result = typecheck(vitest4, 'types')
    expect(result.output).toBe('')
    expect(result.exitCode).toBe(0)
  })

  test('control: without @leakproof/vitest in the program, toLeak is not a matcher', () => {
    const result = typecheck(vitest4, 'types-control')
    expect(result.exitCode).toBe(2)
    expect(result.output).toContain("Property 'toLeak' does not exist")
  })
})
