extension Schedule {
    /// The schedule as deterministic, pretty-printed JSON in the contract's key order.
    public func jsonString() -> String {
        // Encoding plain value types into a tree cannot fail.
        (try? OrderedJSONEncoder.string(self)) ?? "{}\n"
    }
}

extension Day {
    /// The day as deterministic, pretty-printed JSON in the contract's key order.
    public func jsonString() -> String {
        (try? OrderedJSONEncoder.string(self)) ?? "{}\n"
    }
}
