// Execution's API speaks in the spawning path's types (requests, results, limits, environments).
@_exported import AutoCoderProcess
