export interface CorpusSubject {
  run: () => unknown
  cleanup?: () => void
  /** Leaky subjects: the name the retainer path must mention. */
  holder?: string
  /** Leaky subjects: the retained type expected first. */
  type?: string
}
export type CorpusPattern = 'cache' | 'objects' | 'strings' | 'closures' | 'listeners' | 'handles' | 'external' | 'async' | 'globals' | 'weak'
export interface CorpusEntry {
  name: string
  /** The kind of code the subject stands for: a key of `patterns`. */
  pattern: CorpusPattern
  make: () => CorpusSubject
}
export const patterns: Record<CorpusPattern, string>
/** One leaky and one clean subject per pattern, by name. */
export function perPattern(): { leaky: string[]; clean: string[] }
export function alternatePatterns(offset?: number): { leaky: string[]; clean: string[] }
export const leaky: CorpusEntry[]
export const clean: CorpusEntry[]
