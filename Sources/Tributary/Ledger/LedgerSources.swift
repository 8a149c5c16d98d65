public import Git

/// What the series ledger is built from: the manifest's places (the integration branch and each
/// fetched tree, since the base) with a landing matcher each, the imported mail, and the index
/// the matchers read commit facts from. `trib series`, `trib report` and the demo build the
/// ledger and the series found in the trees from one of these.
public struct LedgerSources {
    public let repository: Repository
    public let places: [LedgerPlaces.Place]
    /// One per place, in the same order.
    public let matchers: [LandingMatcher]
    public let messages: [MailMessage]
    /// The series of `messages` (`PatchSeries.find`), grouped once for the ledger, routing and
    /// whoever asks.
    public let series: [PatchSeries]
    public let index: IndexDatabase?

    /// Reads the places, their commits' facts (only those the index has not seen) and the mail.
    /// `bringIndexUpToDate`: read every place's new commits into the index in bulk first (faster
    /// than place by place when many are new).
    public init(
        repository: Repository, manifest: Manifest, index: IndexDatabase?, bringIndexUpToDate: Bool = false,
        context: Context = Context()
    ) throws {
        self.repository = repository
        self.index = index
        if bringIndexUpToDate, let index {
            _ = try LedgerPlaces.update(repository: repository, manifest: manifest, index: index, context: context)
        }
        places = try LedgerPlaces.places(repository: repository, manifest: manifest)
        messages = try MailArchive(repository: repository).messages()
        series = PatchSeries.find(in: messages)
        matchers = try places.map {
            try LandingMatcher(repository: repository, range: $0.range, index: index, git: context.git)
        }
    }

    /// The ledger of the mail against the places, stored in the index too (its `series_patch`
    /// and `landing` rows).
    public func ledger() throws -> SeriesLedger {
        let ledger = try SeriesLedger.build(
            messages: messages, repository: repository, places: places, index: index, matchers: matchers,
            series: series)
        if let index { try ledger.store(in: index) }
        return ledger
    }

    /// The series found in the trees themselves (in the place called `place`, or in every
    /// place), each joined with the mailed series of `ledger` it is.
    public func discovered(in place: String? = nil, joinedWith ledger: SeriesLedger) throws -> [DiscoveredSeries] {
        let found = try zip(places, matchers).filter { place == nil || $0.0.name == place }.flatMap {
            try DiscoveredSeries.find(in: $0.0, repository: repository, index: index, matcher: $0.1)
        }
        return DiscoveredSeries.joined(found, with: ledger)
    }
}
