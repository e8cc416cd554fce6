import Foundation
import Prometheus

/// The service's Prometheus metrics: requests and latencies by route (the OpenAPI operation),
/// solves by method and status, the job queue's depth and the solves running.
final class ServiceMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let queueDepth: Gauge
    private let running: Gauge

    private static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(500),
        .seconds(1), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(300),
    ]

    init() {
        queueDepth = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "infusion", metricName: "job_queue", unitName: "depth", helpText: "Work admitted and waiting for a solve slot."))
        running = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "infusion", metricName: "jobs", unitName: "running", helpText: "Solves, re-plans, sweeps and bookings running."))
    }

    /// Counts a request and its latency under `route`.
    func request(route: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: MetricNameDescriptor(
            namespace: "infusion", metricName: "http_requests", unitName: "total", helpText: "HTTP requests by route and status."),
            labels: [("route", route), ("status", String(status))]).increment()
        registry.makeDurationHistogram(descriptor: MetricNameDescriptor(
            namespace: "infusion", metricName: "http_request_duration", unitName: "seconds", helpText: "HTTP request latency by route."),
            labels: [("route", route)], buckets: Self.latencyBuckets).record(duration)
    }

    /// Counts a solve by its method and outcome (the solver's status, or `failed`).
    func solve(method: String, status: String) {
        registry.makeCounter(descriptor: MetricNameDescriptor(
            namespace: "infusion", metricName: "solves", unitName: "total", helpText: "Solves by method and status."),
            labels: [("method", method), ("status", status)]).increment()
    }

    /// Sets the gauges from the work gate.
    func work(running: Int, queued: Int) {
        self.running.set(Double(running))
        queueDepth.set(Double(queued))
    }

    /// The exposition text.
    func exposition() -> String { registry.emitToString() }
}
