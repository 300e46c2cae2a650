// Studies: replications, sweeps, comparisons, capacity planning (later issues).
