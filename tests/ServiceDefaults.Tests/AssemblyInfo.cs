// The tests share one set of servers; running the classes in parallel on a 2-core machine only makes them slower and flakier.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
