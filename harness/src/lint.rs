//! Checks a CORS configuration the way S3 does and flags the classic mistakes.
