// After each terraform-level test file: the AWS providers its offline runs borrowed (src/terraform/provider-pool.ts)
// stop with the file, not with the jest worker, which may run more files and would hold them until it ends.
afterAll(() => require("../../src/terraform/provider-pool").closeProviderPools());
