// The bundle's entry (action.yml runs.main → dist/index.js).
import { run } from './main.ts';

await run();
// The step is over once run() returns: a socket or retry timer left behind by a client must
// not hold the job open (a run was seen to outlive its timeout under load). setFailed has
// set process.exitCode.
process.exit();
