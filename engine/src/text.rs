//! Cheap sentence building for explanations and console texts: one exact-size allocation per
//! sentence, without the formatting machinery (the trace is built for every prediction, so this is
//! the hot path). It sits below every other module so that any of them may build sentences.

/// The concatenation of `parts`.
pub(crate) fn cat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// A number's decimal digits, on the stack.
pub(crate) struct Decimal {
    digits: [u8; 20],
    start: usize,
}

impl Decimal {
    pub(crate) fn new(mut n: u64) -> Self {
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        loop {
            start -= 1;
            digits[start] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        Self { digits, start }
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits are ever written.
        std::str::from_utf8(&self.digits[self.start..]).unwrap_or("?")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_digits() {
        assert_eq!(Decimal::new(0).as_str(), "0");
        assert_eq!(Decimal::new(204).as_str(), "204");
        assert_eq!(Decimal::new(u64::MAX).as_str(), u64::MAX.to_string());
        assert_eq!(cat(&["a", "", "bc"]), "abc");
    }
}
