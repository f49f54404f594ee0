//! The `aws-chunked` content encoding SigV4 streaming uploads use (`STREAMING-*` payload
//! hashes): `hex-size[;chunk-signature=…]\r\n data \r\n`, a zero-size final chunk, then optional
//! trailer lines (`x-amz-checksum-crc32:…`) and an empty line.

use bytes::Bytes;

/// One decoded chunk with the signature it carried, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chunk {
    pub(crate) data: Bytes,
    pub(crate) signature: Option<String>,
}

/// A decoded body: the chunks in order (the final empty one included) and the trailer lines.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Decoded {
    pub(crate) chunks: Vec<Chunk>,
    pub(crate) trailers: Vec<(String, String)>,
}

impl Decoded {
    pub(crate) fn payload(&self) -> Bytes {
        if let [only, ..] = self.chunks.as_slice()
            && self.chunks.len() <= 2
        {
            return only.data.clone();
        }
        let mut out = Vec::with_capacity(self.chunks.iter().map(|c| c.data.len()).sum());
        for chunk in &self.chunks {
            out.extend_from_slice(&chunk.data);
        }
        Bytes::from(out)
    }
}

/// The body is not valid aws-chunked framing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FramingError;

pub(crate) fn decode(body: &Bytes) -> Result<Decoded, FramingError> {
    let mut decoded = Decoded::default();
    let mut at = 0usize;
    loop {
        let line_end = find_crlf(body, at).ok_or(FramingError)?;
        let line = std::str::from_utf8(&body[at..line_end]).map_err(|_| FramingError)?;
        let (size, signature) = match line.split_once(';') {
            Some((size, extension)) => (
                size,
                extension
                    .trim()
                    .strip_prefix("chunk-signature=")
                    .map(str::to_owned),
            ),
            None => (line, None),
        };
        let size = usize::from_str_radix(size.trim(), 16).map_err(|_| FramingError)?;
        let data_start = line_end + 2;
        let data_end = data_start.checked_add(size).ok_or(FramingError)?;
        if data_end > body.len() {
            return Err(FramingError);
        }
        decoded.chunks.push(Chunk {
            data: body.slice(data_start..data_end),
            signature,
        });
        if size == 0 {
            at = data_start;
            break;
        }
        if body.get(data_end..data_end + 2) != Some(b"\r\n") {
            return Err(FramingError);
        }
        at = data_end + 2;
    }
    // Trailer lines, each `name:value\r\n`, ended by an empty line (or the end of the body).
    while at < body.len() {
        let line_end = find_crlf(body, at).unwrap_or(body.len());
        let line = std::str::from_utf8(&body[at..line_end]).map_err(|_| FramingError)?;
        at = line_end + 2;
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').ok_or(FramingError)?;
        decoded
            .trailers
            .push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    Ok(decoded)
}

fn find_crlf(body: &[u8], from: usize) -> Option<usize> {
    body.get(from..)?
        .windows(2)
        .position(|pair| pair == b"\r\n")
        .map(|offset| from + offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsigned_body_with_trailer_decodes() {
        let body = Bytes::from_static(
            b"5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n",
        );
        let decoded = decode(&body).unwrap();
        assert_eq!(decoded.payload(), Bytes::from_static(b"hello world"));
        assert_eq!(
            decoded.trailers,
            vec![("x-amz-checksum-crc32".to_owned(), "DUoRhQ==".to_owned())]
        );
    }

    #[test]
    fn signed_chunks_keep_their_signatures() {
        let body =
            Bytes::from_static(b"3;chunk-signature=abc\r\nxyz\r\n0;chunk-signature=def\r\n\r\n");
        let decoded = decode(&body).unwrap();
        assert_eq!(decoded.chunks.len(), 2);
        assert_eq!(decoded.chunks[0].signature.as_deref(), Some("abc"));
        assert_eq!(decoded.chunks[1].signature.as_deref(), Some("def"));
        assert_eq!(decoded.payload(), Bytes::from_static(b"xyz"));
    }

    #[test]
    fn junk_is_a_framing_error() {
        for junk in [&b"zz\r\n"[..], b"5\r\nab", b"3\r\nabcXX0\r\n\r\n", b""] {
            assert_eq!(decode(&Bytes::copy_from_slice(junk)), Err(FramingError));
        }
    }
}
