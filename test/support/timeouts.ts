// Integration and end-to-end tests talk to real services; their timeout is set per tier here.
jest.setTimeout(Number(process.env.VERITY_TEST_TIMEOUT_MS ?? 60_000));
