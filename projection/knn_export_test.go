package projection

// KNNCPUTime exposes the process CPU time to the external tests' kNN
// measurements (zero where it is not measured).
var KNNCPUTime = cpuTime
