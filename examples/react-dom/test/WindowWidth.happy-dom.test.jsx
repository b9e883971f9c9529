// @vitest-environment happy-dom
// The same leak check under happy-dom.
import React from 'react'
import { describe, expect, test } from 'vitest'
import { cleanup, render } from '@testing-library/react'
import * as shipped from '../src/WindowWidth.jsx'
import * as fixed from '../src/WindowWidth-fixed.jsx'

describe.each([
  ['happy-dom: WindowWidth.jsx (as shipped: keeps its resize listener)', shipped.WindowWidth],
  ['happy-dom: WindowWidth-fixed.jsx (removes it on unmount)', fixed.WindowWidth],
])('%s', (_name, WindowWidth) => {
  test('mounting and unmounting does not leak', async () => {
    await expect(() => {
      render(<WindowWidth />)
      cleanup()
    }).not.toLeak()
  })
})
