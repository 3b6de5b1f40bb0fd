// The worker's process managers alone, for the benchmark's set-up: they open each cycle's appraisals.
require('./register-swc');
require('../../apps/worker/src/main');
