// A test imports TestSupport and gets the whole library with it; a test that reaches into a
// layer's internals adds `@testable import` of that layer alone.
@_exported import InfusionScheduler
