import React, { useEffect, useState } from 'react'

// As shipped: shows the window's width, and keeps listening after it is unmounted. The listener
// closes over the component's state setter, which keeps its fiber and, through it, the
// component's DOM alive after the component is gone.
export function WindowWidth({ label = 'Width' }) {
  const [width, setWidth] = useState(window.innerWidth)
  useEffect(() => {
    const onResize = () => setWidth(window.innerWidth)
    window.addEventListener('resize', onResize)
    // BUG: no cleanup: the listener stays on window after unmount.
  }, [])
  return (
    <div className="window-width">
      <span>{label}</span>
      <output>{width}px</output>
    </div>
  )
}
