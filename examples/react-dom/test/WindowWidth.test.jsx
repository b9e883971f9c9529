// Component tests as usual (Testing Library under jsdom), plus leak checks: toLeak, toBeCollected
// and per-test mode. The shipped component and its fix run side by side.
import React from 'react'
import { afterEach, describe, expect, test } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { checkEachTest, trackCollection } from '@leakproof/vitest'
import * as shipped from '../src/WindowWidth.jsx'
import * as fixed from '../src/WindowWidth-fixed.jsx'

// Testing Library unmounts and removes what render() mounted in cleanup().
afterEach(cleanup)

describe.each([
  ['WindowWidth.jsx (as shipped: keeps its resize listener)', shipped.WindowWidth],
  ['WindowWidth-fixed.jsx (removes it on unmount)', fixed.WindowWidth],
])('%s', (_name, WindowWidth) => {
  test('shows the width and follows resizes', () => {
    render(<WindowWidth />)
    window.innerWidth = 800
    fireEvent(window, new Event('resize'))
    expect(screen.getByText('800px')).toBeTruthy()
  })

  test('mounting and unmounting does not leak', async () => {
    await expect(() => {
      render(<WindowWidth />)
      cleanup()
    }).not.toLeak()
  })

  test('an unmounted panel can be garbage-collected', async () => {
    let { container } = render(<WindowWidth />)
    const tracked = trackCollection(container.firstChild, 'the unmounted panel')
    cleanup()
    container = undefined
    await expect(tracked).toBeCollected()
  })

  describe('per-test mode', () => {
    checkEachTest()
    test('renders its label', () => {
      render(<WindowWidth label="Viewport" />)
      expect(screen.getByText('Viewport')).toBeTruthy()
    })
  })
})
