export interface CorpusSubject {
  run: () => unknown
  cleanup?: () => void
  /** Leaky subjects: the name the retainer path must mention. */
  holder?: string
  /** Leaky subjects: the retained type expected first. */
  type?: string
}
export interface CorpusEntry {
  name: string
  make: () => CorpusSubject
}
export const leaky: CorpusEntry[]
export const clean: CorpusEntry[]
