export interface WorkloadInstance {
  /** One realistic operation (one request, one log line, one parse): the measured subject. */
  run: () => unknown
  /** Closes what make() opened (servers, agents, pools). */
  cleanup?: () => unknown
}

export interface Workload {
  name: string
  /** package@version (or the Node built-in) the workload exercises. */
  library: string
  /** Workloads of one group run in one process (one test file): 'http' clients/servers, or 'library'. */
  group: 'http' | 'library'
  make: () => Promise<WorkloadInstance>
}

export interface KnownLeak {
  name: string
  /** The npm package name. */
  package: string
  /** npm alias of the leaking version in test/real-world/package.json. */
  leaky: string
  /** npm alias of the fixed version. */
  fixed: string
  /** Upstream issue / pull request / changelog documenting the leak and its fix. */
  reference: string
  /** What the leaking version retains per call. */
  what: string
  make: (variant: 'leaky' | 'fixed') => Promise<WorkloadInstance>
}

export const clean: Workload[]
export const knownLeaks: KnownLeak[]
export function versionOf(alias: string): string
