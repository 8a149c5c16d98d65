extension SeriesRouter {
    /// The routing of every series of `ledger` that is applied nowhere (its newest version in
    /// no place), by series id: its newest version routed as `route` does, tried only onto the
    /// places that could take it.
    public func routings(of ledger: SeriesLedger, series found: [PatchSeries]) throws -> [String: RoutingSummary] {
        let pending = Set(
            ledger.series.filter { series in
                guard let newest = series.versions.last else { return false }
                return !newest.states.values.contains { [.landed, .modified, .partial].contains($0) }
            }.map(\.id))
        guard !pending.isEmpty else { return [:] }
        var routings: [String: RoutingSummary] = [:]
        for series in found where pending.contains(series.id) {
            guard let newest = series.versions.last, !newest.patches.isEmpty else { continue }
            let posted = PostedSeries(newest, of: series, seriesID: series.id)
            routings[series.id] = try route(posted, everywhere: false).summary
        }
        return routings
    }
}

extension LedgerSources {
    /// The ledger, with the routing of each series applied nowhere (`SeriesRouter.routings`).
    public func ledgerWithRouting(manifest: Manifest, context: Context = Context()) throws -> SeriesLedger {
        var ledger = try self.ledger()
        let router = try SeriesRouter(sources: self, manifest: manifest, ledger: ledger, context: context)
        let routings = try router.routings(of: ledger, series: series)
        for index in ledger.series.indices { ledger.series[index].routing = routings[ledger.series[index].id] }
        return ledger
    }
}
