//! The `Range` header of a GetObject: S3 honours one `bytes=` range; anything it cannot read as
//! one range (several ranges, other units, bad syntax, a last position before the first) is
//! ignored and the whole object is sent.

use std::ops::RangeInclusive;

/// What a `Range` header asks of an object of a given size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RangeRequest {
    Whole,
    /// Inclusive byte positions, within the object.
    Part(RangeInclusive<u64>),
    /// 416 `InvalidRange` ([`crate::s3::S3Error::invalid_range`]).
    Unsatisfiable,
}

/// S3's reading of `header` for an object of `size` bytes.
pub fn resolve_range(header: Option<&str>, size: u64) -> RangeRequest {
    let Some(spec) = header
        .map(str::trim)
        .and_then(|value| value.strip_prefix("bytes="))
    else {
        return RangeRequest::Whole;
    };
    if spec.contains(',') {
        return RangeRequest::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return RangeRequest::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    let parse = |text: &str| text.parse::<u64>().ok();
    match (first.is_empty(), last.is_empty()) {
        (false, _) => {
            let Some(start) = parse(first) else {
                return RangeRequest::Whole;
            };
            let end = if last.is_empty() {
                u64::MAX
            } else {
                match parse(last) {
                    Some(end) if end >= start => end,
                    _ => return RangeRequest::Whole,
                }
            };
            if start >= size {
                RangeRequest::Unsatisfiable
            } else {
                RangeRequest::Part(start..=end.min(size - 1))
            }
        }
        // `bytes=-n`: the last n bytes.
        (true, false) => match parse(last) {
            Some(0) => RangeRequest::Unsatisfiable,
            Some(_) if size == 0 => RangeRequest::Unsatisfiable,
            Some(suffix) => RangeRequest::Part(size.saturating_sub(suffix)..=size - 1),
            None => RangeRequest::Whole,
        },
        (true, true) => RangeRequest::Whole,
    }
}

/// The `Content-Range` value of a 206 answer.
pub fn content_range(span: &RangeInclusive<u64>, size: u64) -> String {
    format!("bytes {}-{}/{size}", span.start(), span.end())
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case::no_header(None, 10, RangeRequest::Whole)]
    #[case::first_bytes(Some("bytes=0-3"), 10, RangeRequest::Part(0..=3))]
    #[case::open_end(Some("bytes=5-"), 10, RangeRequest::Part(5..=9))]
    #[case::end_past_the_object(Some("bytes=5-100"), 10, RangeRequest::Part(5..=9))]
    #[case::suffix(Some("bytes=-4"), 10, RangeRequest::Part(6..=9))]
    #[case::suffix_longer_than_the_object(Some("bytes=-40"), 10, RangeRequest::Part(0..=9))]
    #[case::start_past_the_end(Some("bytes=10-"), 10, RangeRequest::Unsatisfiable)]
    #[case::empty_object(Some("bytes=0-0"), 0, RangeRequest::Unsatisfiable)]
    #[case::empty_suffix(Some("bytes=-0"), 10, RangeRequest::Unsatisfiable)]
    #[case::last_before_first(Some("bytes=4-2"), 10, RangeRequest::Whole)]
    #[case::several_ranges(Some("bytes=0-1,3-4"), 10, RangeRequest::Whole)]
    #[case::other_unit(Some("items=0-1"), 10, RangeRequest::Whole)]
    #[case::not_a_number(Some("bytes=x-1"), 10, RangeRequest::Whole)]
    #[case::spaces(Some(" bytes= 2 - 3 "), 10, RangeRequest::Part(2..=3))]
    fn ranges_resolve_like_s3(
        #[case] header: Option<&str>,
        #[case] size: u64,
        #[case] expected: RangeRequest,
    ) {
        assert_eq!(resolve_range(header, size), expected);
    }
}
