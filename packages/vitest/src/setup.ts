// `@leakproof/vitest/setup`: add to `test.setupFiles` (the plugin does it for you). Registers the
// `toLeak` / `toBeCollected` matchers and the per-test mode's hook in every test file.
import { installEachTest, registerLeakMatchers } from './index.js'

registerLeakMatchers()
installEachTest()

export type { LeakproofMatchers } from './augment.js'
