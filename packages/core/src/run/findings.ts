import type {
  AllocationSite,
  DecisionStep,
  ListenerLeak,
  ResourceLeak,
  RetainedType,
  RetainerPath,
} from '../report/types.js'
import type { SampleSeries } from '../samples/series.js'
import type { ConfirmResult } from '../verdict/confirm.js'
import type { ScreenResult } from '../verdict/screen.js'

/** What the stages found, filled in as the measurement proceeds. */
export interface Findings {
  /** The stage running: what a check that runs out of time had reached. */
  stage: 'warmup' | 'screen' | 'confirm'
  decision: DecisionStep[]
  warmup: number
  measured: number
  series?: SampleSeries
  screen?: ScreenResult
  /** The heap snapshots' latest judgement, escalating or final. */
  lastConfirm?: ConfirmResult
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
