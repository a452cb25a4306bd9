// Set up for the mutation run only (vitest.mutation.config.ts): fast-check
// with a fixed seed, so the same mutants are killed on every run.
import fc from 'fast-check';

fc.configureGlobal({ seed: 20261127 });
