import type {
  AllocationSite,
  DecisionStep,
  ListenerLeak,
  ResourceLeak,
  RetainedType,
  RetainerPath,
} from '../report/types.js'
import type { SampleSeries } from '../samples/series.js'
import type { ScreenResult } from '../verdict/screen.js'

/** What the stages found, filled in as the measurement proceeds. */
export interface Findings {
  decision: DecisionStep[]
  warmup: number
  measured: number
  series?: SampleSeries
  screen?: ScreenResult
  heapLeak?: boolean
  externalLeak?: boolean
  heapRate?: number
  externalRate?: number
  retainedTypes?: RetainedType[]
  retainerPaths?: RetainerPath[]
  allocationSites?: AllocationSite[]
  resources?: ResourceLeak[]
  listeners?: ListenerLeak[]
  snapshots?: string[]
}
