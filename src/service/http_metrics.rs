//! Requests the cabinet and the API answered, by route, method and status, and how long they
//! took (a histogram by route and method), recorded by the web layer's outermost middleware
//! and reported on `/metrics`. Routes are the router's patterns (`/vms/{id}`), never the
//! paths asked for, so the label sets stay few.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// A request's labels.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

/// A duration's labels.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
    method: String,
}

/// Bucket bounds of the latency histogram, seconds: 0.5 ms to 10 s.
const BUCKETS: [f64; 14] =
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

fn histogram() -> Histogram {
    Histogram::new(BUCKETS)
}

/// The requests seen since the daemon started (shared by every clone).
#[derive(Clone, Debug)]
pub struct HttpMetrics {
    requests: Family<RequestLabels, Counter>,
    durations: Family<RouteLabels, Histogram, fn() -> Histogram>,
}

impl Default for HttpMetrics {
    fn default() -> Self {
        HttpMetrics { requests: Family::default(), durations: Family::new_with_constructor(histogram) }
    }
}

impl HttpMetrics {
    /// A request to `route` (the router's pattern; `unmatched` for none) answered `status`
    /// after `seconds`.
    pub fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let (route, method) = (route.to_string(), method.to_string());
        self.durations
            .get_or_create(&RouteLabels { route: route.clone(), method: method.clone() })
            .observe(seconds);
        self.requests.get_or_create(&RequestLabels { route, method, status }).inc();
    }

    /// Add the families to a scrape's registry.
    pub fn register(&self, registry: &mut Registry) {
        registry.register("vpsbox_http_requests", "HTTP requests answered", self.requests.clone());
        registry.register(
            "vpsbox_http_request_duration_seconds",
            "Time to answer HTTP requests",
            self.durations.clone(),
        );
    }
}
