//! The page's HTTP cache, as far as CORS cares (facts §9).
//!
//! Only what decides CORS outcomes is modelled:
//! * **storable**: a GET answered 200 whose `Cache-Control` has neither `no-store` nor
//!   `no-cache` and that has explicit freshness (`max-age` > 0, or `Expires`) or heuristic
//!   freshness (`Last-Modified`: 10 % of `Date` − `Last-Modified`, as Chromium and Firefox
//!   compute it). Assumptions (the engine has no wall clock): without a `Date` header — a literal
//!   server's `Date` is added at send time, so it is unknown here — an `Expires` or a
//!   `Last-Modified` is taken to give a lifetime longer than the scenario; the same holds for an
//!   `Expires` that does not parse;
//! * **reused**: by a later GET to the same URL (and, in Firefox, the same credentials and
//!   fetch/element partition) in cache mode `default` or `force-cache`, while fresh (any age for
//!   `force-cache`), when every header named by `Vary` has the same value as in the request that
//!   stored it (`Vary: *` never matches);
//! * **invalidated**: by a PUT, POST or DELETE to the URL answered with a non-error status.
//!
//! Chromium keys by URL only, so a response stored by a no-cors `<img>` load is reused for a later
//! CORS `fetch()` — which then fails its CORS check unless the response carried `Vary: Origin` or
//! a constant `Access-Control-Allow-Origin` (the S3 problem). Firefox stores anonymous and
//! credentialed loads apart and keys cross-origin fetch/XHR requests separately.

use crate::browser::profile::{HttpCacheKeying, Profile};
use crate::browser::request::EffectiveRequest;
use std::borrow::{Borrow, Cow};
use std::ops::Deref;
use std::rc::Rc;

use crate::http::{HeaderList, split_on};
use crate::scenario::{CacheMode, Mode};

/// A response part either borrowed from the scenario (a literal server's answer), owned by the
/// page alone (the last request's answer: nothing later can reuse it), or shared between the
/// page and its HTTP cache, so storing a response never copies it.
#[derive(Debug)]
pub enum Held<'a, T: ?Sized + ToOwned> {
    Borrowed(&'a T),
    Owned(T::Owned),
    Shared(Rc<T>),
}

impl<'a, T: ?Sized + ToOwned> Held<'a, T>
where
    Rc<T>: From<T::Owned>,
{
    /// A server's answer part, shared when a later request might find it in the cache.
    pub fn from_answer(part: Cow<'a, T>, shared: bool) -> Self {
        match part {
            Cow::Borrowed(value) => Held::Borrowed(value),
            Cow::Owned(value) if shared => Held::Shared(Rc::from(value)),
            Cow::Owned(value) => Held::Owned(value),
        }
    }
}

impl<T: ?Sized + ToOwned> Deref for Held<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        match self {
            Held::Borrowed(value) => value,
            Held::Owned(value) => value.borrow(),
            Held::Shared(value) => value,
        }
    }
}

impl Held<'_, HeaderList> {
    pub(crate) fn to_shared(&self) -> Rc<HeaderList> {
        match self {
            Held::Borrowed(value) => Rc::new((*value).clone()),
            Held::Owned(value) => Rc::new(value.clone()),
            Held::Shared(value) => Rc::clone(value),
        }
    }
}

impl Held<'_, [u8]> {
    pub(crate) fn to_shared(&self) -> Rc<[u8]> {
        match self {
            Held::Borrowed(value) => Rc::from(*value),
            Held::Owned(value) => Rc::from(value.as_slice()),
            Held::Shared(value) => Rc::clone(value),
        }
    }
}

/// A stored response's headers updated with those of the `304` that revalidated it (RFC 9111
/// §3.2): each name the `304` carries replaces the stored lines of that name, except the
/// framing headers, which describe the stored body.
pub fn updated_by_not_modified(stored: &HeaderList, not_modified: &HeaderList) -> HeaderList {
    let framing = |name: &str| {
        ["content-length", "content-encoding", "transfer-encoding"]
            .iter()
            .any(|f| f.eq_ignore_ascii_case(name))
    };
    let mut merged: HeaderList = stored
        .iter()
        .filter(|(name, _)| framing(name) || !not_modified.contains(name))
        .collect();
    for (name, value) in not_modified.iter().filter(|(name, _)| !framing(name)) {
        merged.push(name, value);
    }
    merged
}

/// Firefox's extra key parts: (cross-origin fetch/XHR in CORS mode, anonymous).
type Partition = Option<(bool, bool)>;

#[derive(Debug, Clone)]
pub struct CachedResponse {
    url: String,
    partition: Partition,
    pub status: u16,
    pub headers: Rc<HeaderList>,
    pub body: Rc<[u8]>,
    stored_at_ms: u64,
    /// `None`: heuristic or `Expires` freshness, taken to outlast the scenario.
    fresh_for_ms: Option<u64>,
    /// For each name the response's `Vary` lists, the value the storing request sent.
    varied: Vec<(String, Option<String>)>,
    /// Which request of the scenario stored it (1-based), for the explanation.
    pub stored_by: usize,
}

#[derive(Debug, Clone, Default)]
pub struct HttpCache {
    entries: Vec<CachedResponse>,
}

/// How long a 200 response to a GET stays fresh: `Err` with the reason when it is not stored.
pub fn freshness(status: u16, headers: &HeaderList) -> Result<Option<u64>, &'static str> {
    if status != 200 {
        return Err("only 200 responses are modelled as cacheable");
    }
    // One pass over the lines: the Cache-Control directives and the first Date, Expires and
    // Last-Modified.
    let (mut no_store, mut no_cache, mut max_age) = (false, false, None);
    let (mut date, mut expires, mut last_modified) = (None, None, None);
    for (name, value) in headers.iter() {
        if name.eq_ignore_ascii_case("cache-control") {
            for directive in value.split(',').map(|d| d.trim_matches([' ', '\t'])) {
                no_store |= directive.eq_ignore_ascii_case("no-store");
                no_cache |= directive.eq_ignore_ascii_case("no-cache");
                if max_age.is_none()
                    && let Some((name, value)) = directive.split_once('=')
                    && name.trim_end().eq_ignore_ascii_case("max-age")
                {
                    max_age = Some(value.trim_start());
                }
            }
        } else if name.eq_ignore_ascii_case("date") {
            date = date.or(Some(value));
        } else if name.eq_ignore_ascii_case("expires") {
            expires = expires.or(Some(value));
        } else if name.eq_ignore_ascii_case("last-modified") {
            last_modified = last_modified.or(Some(value));
        }
    }
    if no_store {
        return Err("Cache-Control: no-store");
    }
    if no_cache {
        return Err("Cache-Control: no-cache (must revalidate)");
    }
    if let Some(max_age) = max_age {
        return match max_age.trim_matches('"').parse::<u64>() {
            Ok(0) | Err(_) => Err("Cache-Control max-age is 0 or invalid"),
            Ok(s) => Ok(Some(s.saturating_mul(1000))),
        };
    }
    let date = date.and_then(http_date::parse);
    if let Some(expires) = expires {
        return match (date, http_date::parse(expires)) {
            (Some(date), Some(expires)) if expires > date => Ok(Some((expires - date) * 1000)),
            (Some(_), Some(_)) => Err("Expires is not after Date"),
            _ => Ok(None),
        };
    }
    if let Some(last_modified) = last_modified {
        return match (date, http_date::parse(last_modified)) {
            (Some(date), Some(modified)) if date > modified => {
                // Heuristic freshness: a tenth of the time since the last modification.
                Ok(Some((date - modified) * 100))
            }
            (Some(_), Some(_)) => Err("Last-Modified is not before Date: no heuristic freshness"),
            _ => Ok(None),
        };
    }
    Err("no explicit or heuristic freshness (no max-age, Expires or Last-Modified)")
}

fn partition(profile: &Profile, request: &EffectiveRequest<'_>) -> Partition {
    match profile.http_cache_keying {
        HttpCacheKeying::UrlOnly => None,
        HttpCacheKeying::SplitByCredentialsAndFetchMode => {
            let cors_fetch =
                !request.is_element() && !request.same_origin && request.mode == Mode::Cors;
            Some((cors_fetch, !request.sends_credentials()))
        }
    }
}

fn vary_names(headers: &HeaderList) -> impl Iterator<Item = &str> + '_ {
    headers
        .get_all("vary")
        .flat_map(|v| split_on(v, b','))
        .map(|n| n.trim_matches([' ', '\t']))
        .filter(|n| !n.is_empty())
}

/// The value `request` sends for header `name` (`Origin` when `origin_sent`).
fn sent_value<'r>(
    request: &'r EffectiveRequest<'_>,
    origin_sent: Option<&'r str>,
    name: &str,
) -> Option<&'r str> {
    if name.eq_ignore_ascii_case("origin") {
        origin_sent
    } else {
        // Author headers are held one line per name, so `get` is the whole value.
        request
            .headers
            .0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl HttpCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// A stored response `request` may use without going to the network. `origin_sent` is the
    /// `Origin` header it carries, if any.
    pub fn lookup(
        &self,
        profile: &Profile,
        now_ms: u64,
        request: &EffectiveRequest<'_>,
        origin_sent: Option<&str>,
    ) -> Option<&CachedResponse> {
        if self.entries.is_empty() {
            return None;
        }
        if request.method != "GET"
            || !matches!(request.cache, CacheMode::Default | CacheMode::ForceCache)
        {
            return None;
        }
        let partition = partition(profile, request);
        let entry = self
            .entries
            .iter()
            .find(|e| e.url == request.url && e.partition == partition)?;
        let fresh = match entry.fresh_for_ms {
            None => true,
            Some(ms) => now_ms < entry.stored_at_ms.saturating_add(ms),
        };
        if !fresh && request.cache != CacheMode::ForceCache {
            return None;
        }
        for name in vary_names(&entry.headers) {
            if name == "*" {
                return None;
            }
            let stored = entry
                .varied
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .and_then(|(_, v)| v.as_deref());
            if stored != sent_value(request, origin_sent, name) {
                return None;
            }
        }
        Some(entry)
    }

    /// Whether the network response to `request` would be stored, and for how long it stays
    /// fresh (see [`freshness`]); `Err` with the reason when it would not. What [`Self::store`]
    /// decides, without storing.
    pub fn storable(
        request: &EffectiveRequest<'_>,
        status: u16,
        headers: &HeaderList,
    ) -> Result<Option<u64>, &'static str> {
        if request.method != "GET" {
            return Err("only GET responses are cached");
        }
        if request.cache == CacheMode::NoStore {
            return Err("cache mode no-store");
        }
        freshness(status, headers)
    }

    /// Stores the network response to `request` when it is storable; returns why not otherwise.
    #[allow(clippy::too_many_arguments)]
    pub fn store(
        &mut self,
        profile: &Profile,
        now_ms: u64,
        request: &EffectiveRequest<'_>,
        origin_sent: Option<&str>,
        status: u16,
        headers: &Held<'_, HeaderList>,
        body: &Held<'_, [u8]>,
        request_number: usize,
    ) -> Result<(), &'static str> {
        let fresh_for_ms = Self::storable(request, status, headers)?;
        let partition = partition(profile, request);
        self.entries
            .retain(|e| !(e.url == request.url && e.partition == partition));
        self.entries.push(CachedResponse {
            url: request.url.to_string(),
            partition,
            status,
            headers: headers.to_shared(),
            body: body.to_shared(),
            stored_at_ms: now_ms,
            fresh_for_ms,
            varied: vary_names(headers)
                .map(|n| {
                    (
                        n.to_string(),
                        sent_value(request, origin_sent, n).map(str::to_string),
                    )
                })
                .collect(),
            stored_by: request_number,
        });
        Ok(())
    }

    /// Drops every stored response for `url` (after a successful unsafe method).
    pub fn invalidate(&mut self, url: &str) {
        self.entries.retain(|e| e.url != url);
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// IMF-fixdate parsing (`Sun, 06 Nov 1994 08:49:37 GMT`), the form every server sends.
mod http_date {
    /// Seconds since the Unix epoch, or `None` when `text` is not an IMF-fixdate.
    pub(super) fn parse(text: &str) -> Option<u64> {
        fixed_layout(text).or_else(|| tokens(text))
    }

    /// The exact 29-byte layout every server sends (`Sun, 06 Nov 1994 08:49:37 GMT`), read by
    /// position; anything else is left to [`tokens`], which gives the same answer for this layout.
    fn fixed_layout(text: &str) -> Option<u64> {
        let b = text.as_bytes();
        if b.len() != 29
            || b[..3].iter().any(u8::is_ascii_whitespace)
            || &b[3..5] != b", "
            || b[7] != b' '
            || b[11] != b' '
            || b[16] != b' '
            || b[19] != b':'
            || b[22] != b':'
            || &b[25..] != b" GMT"
        {
            return None;
        }
        let number = |range: std::ops::Range<usize>| {
            b[range].iter().try_fold(0u64, |n, &d| {
                d.is_ascii_digit().then(|| n * 10 + u64::from(d - b'0'))
            })
        };
        let day = number(5..7)?;
        let month = month_number(&text[8..11])?;
        let year = number(12..16)?;
        let hour = number(17..19)?;
        let minute = number(20..22)?;
        let second = number(23..25)?;
        valid_date(year, month, day, hour, minute, second)
    }

    fn month_number(name: &str) -> Option<u64> {
        Some(match name {
            "Jan" => 1,
            "Feb" => 2,
            "Mar" => 3,
            "Apr" => 4,
            "May" => 5,
            "Jun" => 6,
            "Jul" => 7,
            "Aug" => 8,
            "Sep" => 9,
            "Oct" => 10,
            "Nov" => 11,
            "Dec" => 12,
            _ => return None,
        })
    }

    fn valid_date(
        year: u64,
        month: u64,
        day: u64,
        hour: u64,
        minute: u64,
        second: u64,
    ) -> Option<u64> {
        if !(1..=31).contains(&day) || year < 1970 || hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
    }

    /// The general reading: whitespace-separated tokens.
    fn tokens(text: &str) -> Option<u64> {
        let mut parts = text.split_ascii_whitespace();
        let _weekday = parts.next()?;
        let day: u64 = parts.next()?.parse().ok()?;
        let month = month_number(parts.next()?)?;
        let year: u64 = parts.next()?.parse().ok()?;
        let mut clock = parts.next()?.split(':');
        let hour: u64 = clock.next()?.parse().ok()?;
        let minute: u64 = clock.next()?.parse().ok()?;
        let second: u64 = clock.next()?.parse().ok()?;
        if parts.next()? != "GMT" {
            return None;
        }
        valid_date(year, month, day, hour, minute, second)
    }

    /// Days from 1970-01-01 to the given date (proleptic Gregorian; H. Hinnant's algorithm).
    fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
        let y = if month <= 2 { year - 1 } else { year };
        let era = y / 400;
        let yoe = y - era * 400;
        let mp = (month + 9) % 12;
        let doy = (153 * mp + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn parses_imf_fixdate() {
            assert_eq!(super::parse("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
            assert_eq!(
                super::parse("Sun, 06 Nov 1994 08:49:37 GMT"),
                Some(784_111_777)
            );
            assert_eq!(super::parse("Sun, 06 Nov 1994 08:49:37"), None);
            assert_eq!(super::parse("yesterday"), None);
            // Both readings agree where the fixed layout applies.
            for text in [
                "Tue, 24 Nov 2026 12:00:00 GMT",
                "Tue, 03 Nov 2026 12:00:00 GMT",
                "Mon, 29 Feb 2016 23:59:60 GMT",
                "Mon, 32 Feb 2016 23:59:59 GMT",
                "Mon, 01 Foo 2016 23:59:59 GMT",
            ] {
                assert_eq!(super::fixed_layout(text), super::tokens(text), "{text}");
            }
        }
    }
}
