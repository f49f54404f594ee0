//! Attributing the run's wire log to the case's requests.
//!
//! The page fetches `<page origin>/mark?before=<i>` right before request `i` and
//! `<page origin>/mark?end` after the last one, each awaited, and the proxy logs an exchange
//! before it answers. So every exchange between marker `i` and the next marker was caused by
//! request `i`. Markers leave the case's own URLs untouched, which matters because HTTP-cache and
//! preflight-cache cases reuse URLs on purpose.

use cors_engine::WireExchange;
use cors_engine::http::origin_of;

use super::page::MARKER_PATH;

/// Splits `log` into one list per request (`count` of them). Exchanges before the first marker
/// (the page load) are dropped; markers themselves are removed.
pub(crate) fn split_by_request(
    log: Vec<WireExchange>,
    page_origin: &str,
    count: usize,
) -> Vec<Vec<WireExchange>> {
    let mut per_request: Vec<Vec<WireExchange>> = vec![Vec::new(); count];
    let mut current: Option<usize> = None;
    for exchange in log {
        if let Some(marker) = marker_of(&exchange, page_origin) {
            current = match marker {
                Marker::Before(i) if i < count => Some(i),
                _ => None,
            };
            continue;
        }
        if let Some(i) = current {
            per_request[i].push(exchange);
        }
    }
    per_request
}

#[derive(Debug, PartialEq, Eq)]
enum Marker {
    Before(usize),
    End,
}

fn marker_of(exchange: &WireExchange, page_origin: &str) -> Option<Marker> {
    if exchange.method != "GET" || origin_of(&exchange.url).as_deref() != Some(page_origin) {
        return None;
    }
    let after_scheme = exchange.url.split_once("://")?.1;
    let path_and_query = &after_scheme[after_scheme.find('/')?..];
    let (path, query) = path_and_query.split_once('?')?;
    if path != MARKER_PATH {
        return None;
    }
    match query {
        "end" => Some(Marker::End),
        _ => query
            .strip_prefix("before=")?
            .parse()
            .ok()
            .map(Marker::Before),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cors_engine::HeaderList;

    fn exchange(method: &str, url: &str, acrm: Option<&str>) -> WireExchange {
        let mut request_headers = HeaderList::new();
        request_headers.push("Origin", "https://app.example");
        if let Some(m) = acrm {
            request_headers.push("Access-Control-Request-Method", m);
        }
        WireExchange {
            method: method.into(),
            url: url.into(),
            request_headers,
            status: 200,
            response_headers: HeaderList::new(),
        }
    }

    #[test]
    fn exchanges_go_to_the_request_whose_marker_precedes_them() {
        let log = vec![
            exchange("GET", "https://app.example/page", None),
            exchange("GET", "https://app.example/mark?before=0", None),
            exchange("OPTIONS", "https://b.example/k", Some("PUT")),
            exchange("PUT", "https://b.example/k", None),
            exchange("GET", "https://app.example/mark?before=1", None),
            // request 1 came from the cache: nothing crossed the wire
            exchange("GET", "https://app.example/mark?before=2", None),
            exchange("GET", "https://b.example/k", None),
            exchange("GET", "https://app.example/mark?end", None),
        ];
        let split = split_by_request(log, "https://app.example", 3);
        assert_eq!(split[0].len(), 2);
        assert!(split[0][0].is_preflight());
        assert_eq!(split[0][1].method, "PUT");
        assert!(split[1].is_empty());
        assert_eq!(split[2].len(), 1);
        assert_eq!(split[2][0].method, "GET");
    }

    #[test]
    fn a_case_url_named_mark_on_another_origin_is_not_a_marker() {
        let log = vec![
            exchange("GET", "https://app.example/mark?before=0", None),
            exchange("GET", "https://b.example/mark?before=1", None),
            exchange("GET", "https://app.example/mark?end", None),
        ];
        let split = split_by_request(log, "https://app.example", 2);
        assert_eq!(split[0].len(), 1);
        assert!(split[1].is_empty());
    }
}
