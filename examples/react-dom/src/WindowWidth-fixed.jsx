import React, { useEffect, useRef, useState } from 'react'

// Fixed: the effect's cleanup removes the listener when the component unmounts.
export function WindowWidth({ label = 'Width' }) {
  const ref = useRef(null)
  const [width, setWidth] = useState(window.innerWidth)
  useEffect(() => {
    const panel = ref.current
    const onResize = () => setWidth(panel.clientWidth || window.innerWidth)
    window.addEventListener('resize', onResize)
    return () => window.removeEventListener('resize', onResize)
  }, [])
  return (
    <div className="window-width" ref={ref}>
      <span>{label}</span>
      <output>{width}px</output>
    </div>
  )
}
