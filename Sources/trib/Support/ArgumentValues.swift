public import ArgumentParser
public import Tributary

// The library's enums that options take: ArgumentParser parses them, rejects other values, and
// lists them in --help and in shell completions.

extension Puller.ConflictPolicy: ExpressibleByArgument {}
extension CheckReportFormat: ExpressibleByArgument {}
extension SeriesLedger.State: ExpressibleByArgument {}
extension PullMethod.Mode: ExpressibleByArgument {}
extension OwnershipDialect: ExpressibleByArgument {}
extension TagPreset: ExpressibleByArgument {}
