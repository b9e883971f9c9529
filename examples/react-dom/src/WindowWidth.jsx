import React, { useEffect, useRef, useState } from 'react'

// As shipped: shows its own width and follows window resizes, and keeps listening after it is
// unmounted. The listener closes over the panel's element, which stays alive, detached, with
// everything under it, for as long as the window does.
export function WindowWidth({ label = 'Width' }) {
  const ref = useRef(null)
  const [width, setWidth] = useState(window.innerWidth)
  useEffect(() => {
    const panel = ref.current
    const onResize = () => setWidth(panel.clientWidth || window.innerWidth)
    window.addEventListener('resize', onResize)
    // BUG: no cleanup: the listener stays on window after unmount.
  }, [])
  return (
    <div className="window-width" ref={ref}>
      <span>{label}</span>
      <output>{width}px</output>
    </div>
  )
}
