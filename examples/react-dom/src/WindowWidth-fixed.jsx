import React, { useEffect, useState } from 'react'

// Fixed: the effect's cleanup removes the listener when the component unmounts.
export function WindowWidth({ label = 'Width' }) {
  const [width, setWidth] = useState(window.innerWidth)
  useEffect(() => {
    const onResize = () => setWidth(window.innerWidth)
    window.addEventListener('resize', onResize)
    return () => window.removeEventListener('resize', onResize)
  }, [])
  return (
    <div className="window-width">
      <span>{label}</span>
      <output>{width}px</output>
    </div>
  )
}
