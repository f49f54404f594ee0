//! Which bucket and key a request names: path-style vs virtual-hosted, website endpoints,
//! percent-decoding.

use cors_engine::s3::Addressed;
use cors_engine::s3::addressing::{
    AddressingStyle, ObjectAddress, bucket_from_aws_host, endpoint_style, percent_decode, resolve,
    resolve_for_endpoint,
};
use rstest::rstest;

use AddressingStyle::{PathStyle, VirtualHosted};

fn target<'a>(
    bucket: &'a str,
    key: Option<&'a str>,
    style: AddressingStyle,
) -> Option<ObjectAddress<'a>> {
    Some(ObjectAddress {
        bucket: bucket.into(),
        key: key.map(Into::into),
        style,
    })
}

#[rstest]
#[case::virtual_hosted_object(
    "assets",
    "http://assets.s3.amazonaws.com",
    "assets.s3.amazonaws.com",
    "/photos/cat.jpg",
    target("assets", Some("photos/cat.jpg"), VirtualHosted)
)]
#[case::virtual_hosted_bucket_root(
    "assets",
    "http://assets.s3.amazonaws.com",
    "assets.s3.amazonaws.com",
    "/",
    target("assets", None, VirtualHosted)
)]
#[case::virtual_hosted_empty_path(
    "assets",
    "http://assets.s3.amazonaws.com",
    "assets.s3.amazonaws.com",
    "",
    target("assets", None, VirtualHosted)
)]
#[case::virtual_hosted_query_ignored(
    "assets",
    "http://assets.s3.amazonaws.com",
    "assets.s3.amazonaws.com",
    "/?cors",
    target("assets", None, VirtualHosted)
)]
#[case::virtual_hosted_default_port_equivalent(
    "assets",
    "http://assets.s3.amazonaws.com",
    "assets.s3.amazonaws.com:80",
    "/a",
    target("assets", Some("a"), VirtualHosted)
)]
#[case::virtual_hosted_host_case_insensitive(
    "assets",
    "http://assets.s3.amazonaws.com",
    "Assets.S3.Amazonaws.com",
    "/a",
    target("assets", Some("a"), VirtualHosted)
)]
#[case::virtual_hosted_percent_decoded(
    "assets",
    "https://assets.s3.eu-west-1.amazonaws.com",
    "assets.s3.eu-west-1.amazonaws.com",
    "/my%20file%2Bx+y.txt?versionId=1",
    target("assets", Some("my file+x+y.txt"), VirtualHosted)
)]
#[case::virtual_hosted_double_slash_kept(
    "assets",
    "http://assets.s3.amazonaws.com",
    "assets.s3.amazonaws.com",
    "//a",
    target("assets", Some("/a"), VirtualHosted)
)]
#[case::path_style_object(
    "assets",
    "https://s3.eu-west-1.amazonaws.com",
    "s3.eu-west-1.amazonaws.com",
    "/assets/photos/cat.jpg",
    target("assets", Some("photos/cat.jpg"), PathStyle)
)]
#[case::path_style_bucket(
    "assets",
    "https://s3.eu-west-1.amazonaws.com",
    "s3.eu-west-1.amazonaws.com",
    "/assets",
    target("assets", None, PathStyle)
)]
#[case::path_style_bucket_trailing_slash(
    "assets",
    "https://s3.eu-west-1.amazonaws.com",
    "s3.eu-west-1.amazonaws.com",
    "/assets/",
    target("assets", None, PathStyle)
)]
#[case::path_style_explicit_https_port(
    "assets",
    "https://s3.eu-west-1.amazonaws.com",
    "s3.eu-west-1.amazonaws.com:443",
    "/assets/k",
    target("assets", Some("k"), PathStyle)
)]
#[case::path_style_local_endpoint(
    "assets",
    "http://localhost:9000",
    "localhost:9000",
    "/assets/k%2Fv",
    target("assets", Some("k/v"), PathStyle)
)]
#[case::website_endpoint_is_virtual(
    "site",
    "http://site.s3-website-us-east-1.amazonaws.com",
    "site.s3-website-us-east-1.amazonaws.com",
    "/index.html",
    target("site", Some("index.html"), VirtualHosted)
)]
#[case::website_endpoint_dot_region(
    "site",
    "http://site.s3-website.eu-central-1.amazonaws.com",
    "site.s3-website.eu-central-1.amazonaws.com",
    "/",
    target("site", None, VirtualHosted)
)]
#[case::cname_bucket_is_virtual(
    "assets.example.com",
    "https://assets.example.com",
    "assets.example.com",
    "/a.js",
    target("assets.example.com", Some("a.js"), VirtualHosted)
)]
#[case::other_host_not_this_bucket(
    "assets",
    "http://assets.s3.amazonaws.com",
    "other.s3.amazonaws.com",
    "/a",
    None
)]
#[case::other_port_not_this_bucket(
    "assets",
    "http://localhost:9000",
    "localhost:9001",
    "/assets/a",
    None
)]
#[case::path_style_other_bucket(
    "assets",
    "https://s3.eu-west-1.amazonaws.com",
    "s3.eu-west-1.amazonaws.com",
    "/other/a",
    None
)]
#[case::path_style_service_root(
    "assets",
    "https://s3.eu-west-1.amazonaws.com",
    "s3.eu-west-1.amazonaws.com",
    "/",
    None
)]
fn resolves_against_a_known_endpoint(
    #[case] bucket: &str,
    #[case] endpoint: &str,
    #[case] host: &str,
    #[case] path: &str,
    #[case] expected: Option<ObjectAddress>,
) {
    assert_eq!(resolve_for_endpoint(bucket, endpoint, host, path), expected);
}

#[rstest]
#[case::legacy_global("assets.s3.amazonaws.com", Some("assets"))]
#[case::regional_dot("assets.s3.eu-west-1.amazonaws.com", Some("assets"))]
#[case::regional_dash("assets.s3-eu-west-1.amazonaws.com", Some("assets"))]
#[case::dualstack("assets.s3.dualstack.us-east-2.amazonaws.com", Some("assets"))]
#[case::accelerate("assets.s3-accelerate.amazonaws.com", Some("assets"))]
#[case::website_dash("site.s3-website-us-east-1.amazonaws.com", Some("site"))]
#[case::website_dot("site.s3-website.eu-central-1.amazonaws.com", Some("site"))]
#[case::china("assets.s3.cn-north-1.amazonaws.com.cn", Some("assets"))]
#[case::dotted_bucket("my.assets.s3.amazonaws.com", Some("my.assets"))]
#[case::bucket_named_like_s3("s3-data.s3.amazonaws.com", Some("s3-data"))]
#[case::dotted_bucket_with_s3_label("x.s3.s3.us-west-2.amazonaws.com", Some("x.s3"))]
#[case::with_port("assets.s3.amazonaws.com:443", Some("assets"))]
#[case::upper_case("ASSETS.S3.AMAZONAWS.COM", Some("assets"))]
#[case::path_style_global("s3.amazonaws.com", None)]
#[case::path_style_regional("s3.eu-west-1.amazonaws.com", None)]
#[case::path_style_regional_dash("s3-eu-west-1.amazonaws.com", None)]
#[case::not_s3("assets.cloudfront.amazonaws.com", None)]
#[case::not_aws("localhost:9000", None)]
fn recognises_virtual_hosted_aws_hosts(#[case] host: &str, #[case] bucket: Option<&str>) {
    assert_eq!(bucket_from_aws_host(host).as_deref(), bucket);
}

#[rstest]
#[case::aws_virtual(
    "assets.s3.amazonaws.com",
    "/a/b",
    target("assets", Some("a/b"), VirtualHosted)
)]
#[case::aws_path(
    "s3.us-east-1.amazonaws.com",
    "/assets/a",
    target("assets", Some("a"), PathStyle)
)]
#[case::fallback_path("127.0.0.1:9000", "/assets", target("assets", None, PathStyle))]
#[case::fallback_path_decoded_bucket(
    "127.0.0.1:9000",
    "/assets/%E2%9C%93",
    target("assets", Some("✓"), PathStyle)
)]
#[case::service_endpoint("s3.amazonaws.com", "/", None)]
fn resolves_without_an_endpoint(
    #[case] host: &str,
    #[case] path: &str,
    #[case] expected: Option<ObjectAddress>,
) {
    assert_eq!(resolve(host, path), expected);
}

#[rstest]
#[case::virtual_legacy("assets", "http://assets.s3.amazonaws.com", VirtualHosted)]
#[case::virtual_with_port("assets", "http://assets.localhost:9000", VirtualHosted)]
#[case::path_regional("assets", "https://s3.eu-west-1.amazonaws.com", PathStyle)]
#[case::prefix_is_not_a_label("assets", "http://assetsx.s3.amazonaws.com", PathStyle)]
fn endpoint_style_from_host(
    #[case] bucket: &str,
    #[case] endpoint: &str,
    #[case] style: AddressingStyle,
) {
    assert_eq!(endpoint_style(bucket, endpoint), style);
}

#[rstest]
#[case::space("a%20b", "a b")]
#[case::plus_kept("a+b", "a+b")]
#[case::utf8("%C3%A9", "é")]
#[case::lower_hex("%2f", "/")]
#[case::lone_percent_kept("100%", "100%")]
#[case::bad_hex_kept("%zz", "%zz")]
#[case::invalid_utf8_replaced("%FF", "\u{fffd}")]
fn percent_decoding(#[case] raw: &str, #[case] decoded: &str) {
    assert_eq!(percent_decode(raw), decoded);
}

#[test]
fn target_tells_bucket_from_object() {
    let object = resolve("assets.s3.amazonaws.com", "/k").unwrap();
    let bucket = resolve("assets.s3.amazonaws.com", "/").unwrap();
    assert_eq!(object.addressed(), Addressed::Object);
    assert_eq!(bucket.addressed(), Addressed::Bucket);
}
