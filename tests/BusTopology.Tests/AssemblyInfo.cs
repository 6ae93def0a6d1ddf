// Each test deploys the whole topology and may start a service: in parallel on a 2-core machine they only get slower.
// Serial also keeps the deployer's capture of a service's host apart from a WebApplicationFactory starting another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
