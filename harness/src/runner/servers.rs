//! The servers of one case run: a fresh in-memory bucket (or a literal-header server, or a
//! router the caller supplies) on the target origins and the runner page on the page origin,
//! registered with the origin proxy under the run's id.

use axum::Router;
use cors_engine::http::origin_of;
use cors_engine::scenario::{SEEDED_OBJECT_AGE, Scenario, ServerModel};
use cors_servers::bucket::BucketServer;
use cors_servers::{RunRoutes, page_router, raw_router};

use super::RunError;
use super::page::page_assets;

/// Every origin the scenario's requests go to, besides the page (sorted, no duplicates).
pub(crate) fn server_origins(scenario: &Scenario) -> Vec<String> {
    let mut origins: Vec<String> = scenario
        .requests
        .iter()
        .filter_map(|r| origin_of(&r.url))
        .chain(server_origin(&scenario.server))
        .filter(|o| *o != scenario.page_origin)
        .collect();
    origins.sort();
    origins.dedup();
    origins
}

fn server_origin(server: &ServerModel) -> Option<String> {
    match server {
        ServerModel::Bucket(bucket) => origin_of(&bucket.endpoint),
        ServerModel::Raw(raw) => origin_of(&raw.origin),
        ServerModel::Recorded(recorded) => origin_of(&recorded.origin),
    }
}

/// The host names (without port) the proxy must accept for this scenario.
pub(crate) fn hosts(scenario: &Scenario) -> Vec<String> {
    let mut hosts: Vec<String> = server_origins(scenario)
        .iter()
        .chain(std::iter::once(&scenario.page_origin))
        .filter_map(|origin| host_of(origin))
        .collect();
    hosts.sort();
    hosts.dedup();
    hosts
}

fn host_of(origin: &str) -> Option<String> {
    let authority = origin.split_once("://")?.1;
    let host = if authority.starts_with('[') {
        authority.split_inclusive(']').next()?
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, _)| h)
    };
    Some(host.to_ascii_lowercase())
}

/// The in-memory server of the scenario. The bucket server is seeded with the bucket, its CORS
/// configuration (the one S3 stored: none when PutBucketCors was rejected) and its objects.
pub fn server_router(scenario: &Scenario) -> Result<Router, RunError> {
    Ok(match &scenario.server {
        ServerModel::Bucket(bucket) => {
            let server = BucketServer::new();
            let seed = |what: &str, e: &dyn std::fmt::Display| RunError::Setup {
                message: format!("cannot seed the bucket server ({what}): {e}"),
            };
            server
                .create_bucket(&bucket.name)
                .map_err(|e| seed("create bucket", &e))?;
            if let Some(cors) = &bucket.cors {
                server
                    .put_bucket_cors(&bucket.name, cors.clone())
                    .map_err(|e| seed("put bucket cors", &e))?;
            }
            // Seeded objects are as old as the engine assumes, so the browser derives the same
            // heuristic HTTP-cache freshness from Date - Last-Modified as the prediction does.
            let uploaded = std::time::SystemTime::now() - SEEDED_OBJECT_AGE;
            for (key, object) in &bucket.objects {
                server
                    .put_object_modified_at(
                        &bucket.name,
                        key,
                        &object.content_type,
                        object.body.to_vec(),
                        uploaded,
                    )
                    .map_err(|e| seed("put object", &e))?;
            }
            // Endpoints outside amazonaws.com (a CDN name, a custom domain) address the bucket
            // virtual-hosted style only once the server is told so.
            if let Some(host) = origin_of(&bucket.endpoint).and_then(|o| host_of(&o))
                && !host.ends_with("amazonaws.com")
            {
                server.add_virtual_host(&host, &bucket.name);
            }
            server.router()
        }
        ServerModel::Raw(raw) => raw_router(raw.clone()),
        // A recorded server is what an external target answered; it is predicted from, never
        // served.
        ServerModel::Recorded(_) => {
            return Err(RunError::Setup {
                message: "a recorded server cannot be served; run the case against its target"
                    .to_string(),
            });
        }
    })
}

/// The run's routes: the runner page on the page origin, `server` on every other origin the
/// scenario's requests go to.
pub(crate) fn run_routes(scenario: &Scenario, server: Router) -> RunRoutes {
    let mut routes =
        RunRoutes::new().with_origin(scenario.page_origin.clone(), page_router(page_assets()));
    for origin in server_origins(scenario) {
        routes = routes.with_origin(origin, server.clone());
    }
    routes
}

/// `https://b.example:8443/k?x` → `https://b.example:8443/__run/<id>/k?x`; anything that is
/// not an absolute http(s) URL is left alone.
pub(crate) fn url_in_run(url: &str, run_id: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
        return url.to_string();
    }
    let split = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(split);
    let tail = if tail.starts_with('/') {
        tail.to_string()
    } else {
        format!("/{tail}")
    };
    format!(
        "{scheme}://{authority}{}{run_id}{tail}",
        cors_servers::proxy::RUN_PREFIX
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_get_the_run_prefix_right_after_the_origin() {
        assert_eq!(
            url_in_run("https://b.example:8443/photos/cat.jpg?x=1", "r7"),
            "https://b.example:8443/__run/r7/photos/cat.jpg?x=1"
        );
        assert_eq!(
            url_in_run("http://b.example", "r7"),
            "http://b.example/__run/r7/"
        );
        assert_eq!(
            url_in_run("http://b.example?q", "r7"),
            "http://b.example/__run/r7/?q"
        );
        assert_eq!(url_in_run("data:,x", "r7"), "data:,x");
    }

    #[test]
    fn hosts_cover_page_and_targets_without_ports() {
        let mut scenario = Scenario {
            page_origin: "https://app.example.com".into(),
            server: ServerModel::Raw(cors_engine::scenario::RawModel {
                origin: "https://api.example.com:8443".into(),
                preflight: cors_engine::scenario::RawResponse {
                    status: 204,
                    headers: Default::default(),
                    body: vec![],
                },
                response: cors_engine::scenario::RawResponse {
                    status: 200,
                    headers: Default::default(),
                    body: vec![],
                },
            }),
            requests: vec![],
        };
        scenario
            .requests
            .push(cors_engine::scenario::RequestSpec::fetch(
                "http://other.test/x",
            ));
        assert_eq!(
            hosts(&scenario),
            vec!["api.example.com", "app.example.com", "other.test"]
        );
        assert_eq!(
            server_origins(&scenario),
            vec!["http://other.test", "https://api.example.com:8443"]
        );
    }
}
