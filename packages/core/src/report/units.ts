/** Human-readable byte count: 68 B, 12.4 KB, 3.1 MB. */
export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes)
  if (abs < 1024) return `${Math.round(bytes * 10) / 10} B`
  if (abs < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`
  if (abs < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`
}
