//! Buckets, objects, CORS configurations and multipart uploads, in memory and optionally on
//! disk.
//!
//! On disk (`with_data_dir`), each bucket is a directory `buckets/<hex of name>/` holding
//! `bucket.json` (creation time and CORS configuration) and `objects/<sha256 of key>` files (a
//! little-endian `u32` metadata length, the metadata as JSON, then the body). Every file is written
//! to a temporary name (`.tmp-*`) in its own directory and renamed into place, so a crash leaves
//! either the old or the new version; temporary files left by a crash are removed at start. Only
//! the metadata is kept in memory: a body is read from its file when it is asked for, so start-up
//! costs memory in proportion to the number of objects, not their size. A file under `objects/`
//! that is not a readable object is skipped with a warning naming it, never deleted. Multipart
//! uploads in progress live in memory only.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

use bytes::Bytes;
use cors_engine::CorsConfiguration;
use cors_engine::s3::object;
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use time::OffsetDateTime;

/// S3's smallest part size for every part but the last.
pub(crate) const MIN_PART_SIZE: u64 = 5 * 1024 * 1024;

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("the bucket does not exist")]
    NoSuchBucket,
    #[error("the bucket already exists")]
    BucketExists,
    #[error("the bucket is not empty")]
    BucketNotEmpty,
    #[error("the key does not exist")]
    NoSuchKey,
    #[error("the multipart upload does not exist")]
    NoSuchUpload,
    #[error("a listed part does not exist or its ETag differs")]
    InvalidPart,
    #[error("the listed parts are not in ascending order")]
    InvalidPartOrder,
    #[error("a part other than the last is smaller than 5 MiB ({size} bytes)")]
    EntityTooSmall { size: u64 },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: unreadable stored data: {message}")]
    Corrupt { path: PathBuf, message: String },
}

/// One stored object's metadata (its body is fetched with [`Store::get_object`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Object {
    pub(crate) key: String,
    pub(crate) size: u64,
    pub(crate) content_type: String,
    /// Quoted, as sent in the `ETag` header.
    pub(crate) etag: String,
    pub(crate) last_modified: OffsetDateTime,
    /// Stored response headers (`Cache-Control`, `x-amz-meta-*`, …), names lower-cased.
    pub(crate) headers: Vec<(String, String)>,
}

/// What an upload request supplies besides the body.
#[derive(Debug, Clone, Default)]
pub(crate) struct ObjectAttributes {
    pub(crate) content_type: String,
    pub(crate) headers: Vec<(String, String)>,
    /// `None` stamps the object with the time it is stored, as S3 does.
    pub(crate) last_modified: Option<OffsetDateTime>,
}

/// What the CORS engine needs to know about a bucket.
#[derive(Debug, Clone)]
pub(crate) enum CorsState {
    Missing,
    NoCors,
    Configured(Arc<CorsConfiguration>),
}

/// One page of a listing.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    pub(crate) objects: Vec<Arc<Object>>,
    pub(crate) common_prefixes: Vec<String>,
    /// The last key or common prefix returned when the listing was cut at `max_keys`.
    pub(crate) next_after: Option<String>,
}

/// A listing request.
#[derive(Debug, Default)]
pub(crate) struct ListQuery<'a> {
    pub(crate) prefix: &'a str,
    pub(crate) delimiter: Option<&'a str>,
    /// Resume after this key (or past this common prefix).
    pub(crate) after: Option<&'a str>,
    pub(crate) max_keys: usize,
}

struct Bucket {
    created: OffsetDateTime,
    cors: Option<Arc<CorsConfiguration>>,
    objects: BTreeMap<String, Stored>,
}

/// An object in the index: its metadata, and its body unless the body lives on disk.
#[derive(Clone)]
struct Stored {
    object: Arc<Object>,
    body: Option<Bytes>,
}

struct Upload {
    bucket: String,
    key: String,
    attributes: ObjectAttributes,
    parts: BTreeMap<u32, Part>,
}

struct Part {
    md5: [u8; 16],
    body: Bytes,
}

#[derive(Default)]
struct State {
    buckets: BTreeMap<String, Bucket>,
    uploads: HashMap<String, Upload>,
}

/// The whole account's data.
///
/// Lock order: `writer` before `state`. Every change that reaches the disk holds `writer` for the
/// whole change, so disk and memory see changes in the same order, while the (slow, synced) file
/// write happens outside the `state` lock: reads never wait for the disk.
pub(crate) struct Store {
    state: RwLock<State>,
    writer: Mutex<()>,
    disk: Option<Disk>,
    upload_counter: AtomicU64,
}

impl Store {
    pub(crate) fn in_memory() -> Self {
        Store {
            state: RwLock::new(State::default()),
            writer: Mutex::new(()),
            disk: None,
            upload_counter: AtomicU64::new(0),
        }
    }

    /// Opens (creating if needed) a data directory and loads what it holds.
    pub(crate) fn open(dir: &Path) -> Result<Self, StorageError> {
        let disk = Disk {
            root: dir.join("buckets"),
        };
        fs::create_dir_all(&disk.root).map_err(io_error(&disk.root))?;
        let state = disk.load()?;
        Ok(Store {
            state: RwLock::new(state),
            writer: Mutex::new(()),
            disk: Some(disk),
            upload_counter: AtomicU64::new(0),
        })
    }

    fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn lock_writer(&self) -> MutexGuard<'_, ()> {
        self.writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn create_bucket(&self, name: &str) -> Result<(), StorageError> {
        let _writer = self.lock_writer();
        let mut state = self.write();
        if state.buckets.contains_key(name) {
            return Err(StorageError::BucketExists);
        }
        let bucket = Bucket {
            created: OffsetDateTime::now_utc(),
            cors: None,
            objects: BTreeMap::new(),
        };
        if let Some(disk) = &self.disk {
            disk.write_bucket(name, &bucket)?;
        }
        state.buckets.insert(name.to_owned(), bucket);
        Ok(())
    }

    pub(crate) fn bucket_exists(&self, name: &str) -> bool {
        self.read().buckets.contains_key(name)
    }

    pub(crate) fn delete_bucket(&self, name: &str) -> Result<(), StorageError> {
        let _writer = self.lock_writer();
        let mut state = self.write();
        let bucket = state.buckets.get(name).ok_or(StorageError::NoSuchBucket)?;
        if !bucket.objects.is_empty() {
            return Err(StorageError::BucketNotEmpty);
        }
        if let Some(disk) = &self.disk {
            disk.remove_bucket(name)?;
        }
        state.buckets.remove(name);
        state.uploads.retain(|_, upload| upload.bucket != name);
        Ok(())
    }

    /// Every bucket with its creation time, by name.
    pub(crate) fn list_buckets(&self) -> Vec<(String, OffsetDateTime)> {
        self.read()
            .buckets
            .iter()
            .map(|(name, bucket)| (name.clone(), bucket.created))
            .collect()
    }

    pub(crate) fn cors_state(&self, bucket: &str) -> CorsState {
        match self.read().buckets.get(bucket) {
            None => CorsState::Missing,
            Some(Bucket { cors: None, .. }) => CorsState::NoCors,
            Some(Bucket {
                cors: Some(config), ..
            }) => CorsState::Configured(config.clone()),
        }
    }

    /// Sets (`Some`) or removes (`None`) a bucket's CORS configuration.
    pub(crate) fn put_cors(
        &self,
        bucket: &str,
        config: Option<CorsConfiguration>,
    ) -> Result<(), StorageError> {
        let _writer = self.lock_writer();
        let mut state = self.write();
        let entry = state
            .buckets
            .get_mut(bucket)
            .ok_or(StorageError::NoSuchBucket)?;
        let previous = std::mem::replace(&mut entry.cors, config.map(Arc::new));
        if let Some(disk) = &self.disk
            && let Err(error) = disk.write_bucket(bucket, entry)
        {
            entry.cors = previous;
            return Err(error);
        }
        Ok(())
    }

    /// An object's metadata, without reading its body.
    pub(crate) fn head_object(&self, bucket: &str, key: &str) -> Result<Arc<Object>, StorageError> {
        self.stored(bucket, key).map(|stored| stored.object)
    }

    /// An object with its body. A body on disk is read from the object's file, metadata included,
    /// so the two always belong to the same version even when a write replaces the object
    /// meanwhile.
    pub(crate) fn get_object(
        &self,
        bucket: &str,
        key: &str,
    ) -> Result<(Arc<Object>, Bytes), StorageError> {
        let stored = self.stored(bucket, key)?;
        match (stored.body, &self.disk) {
            (Some(body), _) => Ok((stored.object, body)),
            (None, Some(disk)) => disk
                .read_object(bucket, key)?
                .map(|(object, body)| (Arc::new(object), body))
                .ok_or(StorageError::NoSuchKey),
            (None, None) => Err(StorageError::NoSuchKey),
        }
    }

    fn stored(&self, bucket: &str, key: &str) -> Result<Stored, StorageError> {
        let state = self.read();
        let bucket = state
            .buckets
            .get(bucket)
            .ok_or(StorageError::NoSuchBucket)?;
        bucket
            .objects
            .get(key)
            .cloned()
            .ok_or(StorageError::NoSuchKey)
    }

    pub(crate) fn put_object(
        &self,
        bucket: &str,
        key: &str,
        content_type: String,
        body: Bytes,
    ) -> Result<Arc<Object>, StorageError> {
        let attributes = ObjectAttributes {
            content_type,
            headers: Vec::new(),
            last_modified: None,
        };
        let etag = object::etag(&body);
        self.store_object(bucket, key, attributes, body, etag)
    }

    pub(crate) fn put_object_with(
        &self,
        bucket: &str,
        key: &str,
        attributes: ObjectAttributes,
        body: Bytes,
    ) -> Result<Arc<Object>, StorageError> {
        let etag = object::etag(&body);
        self.store_object(bucket, key, attributes, body, etag)
    }

    fn store_object(
        &self,
        bucket: &str,
        key: &str,
        attributes: ObjectAttributes,
        body: Bytes,
        etag: String,
    ) -> Result<Arc<Object>, StorageError> {
        let object = Arc::new(Object {
            key: key.to_owned(),
            size: body.len() as u64,
            content_type: attributes.content_type,
            etag,
            // S3 keeps whole seconds in Last-Modified.
            last_modified: {
                let at = attributes
                    .last_modified
                    .unwrap_or_else(OffsetDateTime::now_utc);
                at.replace_nanosecond(0).unwrap_or(at)
            },
            headers: attributes.headers,
        });
        let _writer = self.lock_writer();
        if !self.bucket_exists(bucket) {
            return Err(StorageError::NoSuchBucket);
        }
        let kept = match &self.disk {
            Some(disk) => {
                disk.write_object(bucket, &object, &body)?;
                None
            }
            None => Some(body),
        };
        self.write()
            .buckets
            .get_mut(bucket)
            .ok_or(StorageError::NoSuchBucket)?
            .objects
            .insert(
                key.to_owned(),
                Stored {
                    object: object.clone(),
                    body: kept,
                },
            );
        Ok(object)
    }

    /// Deleting a missing key succeeds, as in S3.
    pub(crate) fn delete_object(&self, bucket: &str, key: &str) -> Result<(), StorageError> {
        let _writer = self.lock_writer();
        let exists = {
            let state = self.read();
            let entry = state
                .buckets
                .get(bucket)
                .ok_or(StorageError::NoSuchBucket)?;
            entry.objects.contains_key(key)
        };
        if exists {
            if let Some(disk) = &self.disk {
                disk.remove_object(bucket, key)?;
            }
            if let Some(entry) = self.write().buckets.get_mut(bucket) {
                entry.objects.remove(key);
            }
        }
        Ok(())
    }

    pub(crate) fn list_objects(
        &self,
        bucket: &str,
        query: &ListQuery<'_>,
    ) -> Result<Listing, StorageError> {
        let state = self.read();
        let entry = state
            .buckets
            .get(bucket)
            .ok_or(StorageError::NoSuchBucket)?;
        let mut listing = Listing::default();
        let mut returned = 0usize;
        let mut last_item: Option<String> = None;
        let start = query.after.unwrap_or("");
        for (key, stored) in entry
            .objects
            .range::<str, _>((std::ops::Bound::Excluded(start), std::ops::Bound::Unbounded))
        {
            if !key.starts_with(query.prefix) {
                if key.as_str() > query.prefix {
                    break;
                }
                continue;
            }
            if let Some(after) = query.after
                && query.delimiter.is_some_and(|d| after.ends_with(d))
                && key.starts_with(after)
            {
                continue;
            }
            let common = query.delimiter.filter(|d| !d.is_empty()).and_then(|d| {
                key[query.prefix.len()..]
                    .find(d)
                    .map(|at| key[..query.prefix.len() + at + d.len()].to_owned())
            });
            if let Some(common) = &common
                && listing.common_prefixes.last() == Some(common)
            {
                continue;
            }
            if returned == query.max_keys {
                listing.next_after = last_item;
                return Ok(listing);
            }
            returned += 1;
            match common {
                Some(common) => {
                    last_item = Some(common.clone());
                    listing.common_prefixes.push(common);
                }
                None => {
                    last_item = Some(key.clone());
                    listing.objects.push(stored.object.clone());
                }
            }
        }
        Ok(listing)
    }

    pub(crate) fn create_upload(
        &self,
        bucket: &str,
        key: &str,
        attributes: ObjectAttributes,
    ) -> Result<String, StorageError> {
        let mut state = self.write();
        if !state.buckets.contains_key(bucket) {
            return Err(StorageError::NoSuchBucket);
        }
        let n = self.upload_counter.fetch_add(1, Ordering::Relaxed);
        let id = hex::encode(
            Sha256::new()
                .chain_update(n.to_le_bytes())
                .chain_update(bucket)
                .chain_update(key)
                .chain_update(
                    OffsetDateTime::now_utc()
                        .unix_timestamp_nanos()
                        .to_le_bytes(),
                )
                .finalize(),
        );
        state.uploads.insert(
            id.clone(),
            Upload {
                bucket: bucket.to_owned(),
                key: key.to_owned(),
                attributes,
                parts: BTreeMap::new(),
            },
        );
        Ok(id)
    }

    /// Stores a part; returns its quoted ETag.
    pub(crate) fn put_part(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        number: u32,
        body: Bytes,
    ) -> Result<String, StorageError> {
        let md5: [u8; 16] = Md5::digest(&body).into();
        let mut state = self.write();
        if !state.buckets.contains_key(bucket) {
            return Err(StorageError::NoSuchBucket);
        }
        let upload = state
            .uploads
            .get_mut(upload_id)
            .filter(|upload| upload.bucket == bucket && upload.key == key)
            .ok_or(StorageError::NoSuchUpload)?;
        upload.parts.insert(number, Part { md5, body });
        Ok(format!("\"{}\"", hex::encode(md5)))
    }

    /// Joins the listed parts into the object; its ETag is `"<md5 of the part md5s>-<count>"`.
    pub(crate) fn complete_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        listed: &[(u32, String)],
    ) -> Result<Arc<Object>, StorageError> {
        let (attributes, body, etag) = {
            let state = self.read();
            if !state.buckets.contains_key(bucket) {
                return Err(StorageError::NoSuchBucket);
            }
            let upload = state
                .uploads
                .get(upload_id)
                .filter(|upload| upload.bucket == bucket && upload.key == key)
                .ok_or(StorageError::NoSuchUpload)?;
            if listed.is_empty() {
                return Err(StorageError::InvalidPart);
            }
            if listed.windows(2).any(|pair| pair[0].0 >= pair[1].0) {
                return Err(StorageError::InvalidPartOrder);
            }
            let mut parts = Vec::with_capacity(listed.len());
            for (number, etag) in listed {
                let part = upload.parts.get(number).ok_or(StorageError::InvalidPart)?;
                if etag.trim().trim_matches('"') != hex::encode(part.md5) {
                    return Err(StorageError::InvalidPart);
                }
                parts.push(part);
            }
            if let Some(small) = parts[..parts.len() - 1]
                .iter()
                .find(|part| (part.body.len() as u64) < MIN_PART_SIZE)
            {
                return Err(StorageError::EntityTooSmall {
                    size: small.body.len() as u64,
                });
            }
            let mut body = Vec::with_capacity(parts.iter().map(|p| p.body.len()).sum());
            for part in &parts {
                body.extend_from_slice(&part.body);
            }
            let digests: Vec<[u8; 16]> = parts.iter().map(|part| part.md5).collect();
            let etag = object::multipart_etag(&digests);
            (upload.attributes.clone(), Bytes::from(body), etag)
        };
        let object = self.store_object(bucket, key, attributes, body, etag)?;
        self.write().uploads.remove(upload_id);
        Ok(object)
    }

    pub(crate) fn abort_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
    ) -> Result<(), StorageError> {
        let mut state = self.write();
        if !state.buckets.contains_key(bucket) {
            return Err(StorageError::NoSuchBucket);
        }
        match state.uploads.get(upload_id) {
            Some(upload) if upload.bucket == bucket && upload.key == key => {
                state.uploads.remove(upload_id);
                Ok(())
            }
            _ => Err(StorageError::NoSuchUpload),
        }
    }
}

/// The on-disk mirror of the state.
struct Disk {
    root: PathBuf,
}

#[derive(Serialize, Deserialize)]
struct BucketFile {
    name: String,
    created_unix_nanos: i128,
    cors: Option<CorsConfiguration>,
}

#[derive(Serialize, Deserialize)]
struct ObjectMeta {
    key: String,
    content_type: String,
    etag: String,
    last_modified_unix: i64,
    headers: Vec<(String, String)>,
}

impl Disk {
    fn bucket_dir(&self, name: &str) -> PathBuf {
        self.root.join(hex::encode(name))
    }

    fn object_path(&self, bucket: &str, key: &str) -> PathBuf {
        self.bucket_dir(bucket)
            .join("objects")
            .join(hex::encode(Sha256::digest(key.as_bytes())))
    }

    fn write_bucket(&self, name: &str, bucket: &Bucket) -> Result<(), StorageError> {
        let dir = self.bucket_dir(name);
        let objects = dir.join("objects");
        fs::create_dir_all(&objects).map_err(io_error(&objects))?;
        let file = BucketFile {
            name: name.to_owned(),
            created_unix_nanos: bucket.created.unix_timestamp_nanos(),
            cors: bucket.cors.as_deref().cloned(),
        };
        let json = serde_json::to_vec_pretty(&file).map_err(|error| StorageError::Corrupt {
            path: dir.clone(),
            message: error.to_string(),
        })?;
        write_atomically(&dir.join("bucket.json"), &[&json])
    }

    fn remove_bucket(&self, name: &str) -> Result<(), StorageError> {
        let dir = self.bucket_dir(name);
        // Removing bucket.json first: a directory without it is ignored at load time.
        let marker = dir.join("bucket.json");
        fs::remove_file(&marker).map_err(io_error(&marker))?;
        fs::remove_dir_all(&dir).map_err(io_error(&dir))
    }

    fn write_object(&self, bucket: &str, object: &Object, body: &[u8]) -> Result<(), StorageError> {
        let path = self.object_path(bucket, &object.key);
        let meta = ObjectMeta {
            key: object.key.clone(),
            content_type: object.content_type.clone(),
            etag: object.etag.clone(),
            last_modified_unix: object.last_modified.unix_timestamp(),
            headers: object.headers.clone(),
        };
        let json = serde_json::to_vec(&meta).map_err(|error| StorageError::Corrupt {
            path: path.clone(),
            message: error.to_string(),
        })?;
        let length = u32::try_from(json.len())
            .map_err(|_| StorageError::Corrupt {
                path: path.clone(),
                message: "metadata too large".into(),
            })?
            .to_le_bytes();
        write_atomically(&path, &[&length, &json, body])
    }

    fn remove_object(&self, bucket: &str, key: &str) -> Result<(), StorageError> {
        let path = self.object_path(bucket, key);
        match fs::remove_file(&path) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(StorageError::Io {
                path,
                source: error,
            }),
            _ => Ok(()),
        }
    }

    /// Reads an object's file whole; `None` when it no longer exists.
    fn read_object(
        &self,
        bucket: &str,
        key: &str,
    ) -> Result<Option<(Object, Bytes)>, StorageError> {
        let path = self.object_path(bucket, key);
        let data = match fs::read(&path) {
            Ok(data) => data,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(StorageError::Io { path, source }),
        };
        let (meta, body_start) = parse_header(&data).map_err(|message| StorageError::Corrupt {
            path: path.clone(),
            message,
        })?;
        let body = Bytes::from(data).slice(body_start..);
        Ok(Some((meta.into_object(body.len() as u64), body)))
    }

    fn load(&self) -> Result<State, StorageError> {
        let mut state = State::default();
        for entry in fs::read_dir(&self.root).map_err(io_error(&self.root))? {
            let dir = entry.map_err(io_error(&self.root))?.path();
            let marker = dir.join("bucket.json");
            if !marker.is_file() {
                continue;
            }
            remove_temporary_files(&dir);
            let text = fs::read(&marker).map_err(io_error(&marker))?;
            let file: BucketFile =
                serde_json::from_slice(&text).map_err(|error| StorageError::Corrupt {
                    path: marker.clone(),
                    message: error.to_string(),
                })?;
            let objects = self.load_objects(&dir.join("objects"))?;
            state.buckets.insert(
                file.name,
                Bucket {
                    created: OffsetDateTime::from_unix_timestamp_nanos(file.created_unix_nanos)
                        .unwrap_or(OffsetDateTime::UNIX_EPOCH),
                    cors: file.cors.map(Arc::new),
                    objects,
                },
            );
        }
        Ok(state)
    }

    /// The metadata of every object file in `dir` (bodies stay on disk). Temporary files are
    /// removed; anything else that is not an object is left in place and skipped with a warning,
    /// so one stray file does not keep the server from starting.
    fn load_objects(&self, dir: &Path) -> Result<BTreeMap<String, Stored>, StorageError> {
        let mut objects = BTreeMap::new();
        if !dir.is_dir() {
            return Ok(objects);
        }
        remove_temporary_files(dir);
        for entry in fs::read_dir(dir).map_err(io_error(dir))? {
            let path = entry.map_err(io_error(dir))?.path();
            match read_metadata(&path) {
                Ok(object) => {
                    objects.insert(
                        object.key.clone(),
                        Stored {
                            object: Arc::new(object),
                            body: None,
                        },
                    );
                }
                Err(reason) => {
                    eprintln!(
                        "warning: {}: not a stored object, skipped ({reason})",
                        path.display()
                    );
                }
            }
        }
        Ok(objects)
    }
}

impl ObjectMeta {
    fn into_object(self, size: u64) -> Object {
        Object {
            key: self.key,
            size,
            content_type: self.content_type,
            etag: self.etag,
            last_modified: OffsetDateTime::from_unix_timestamp(self.last_modified_unix)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH),
            headers: self.headers,
        }
    }
}

/// Splits an object file's start into its metadata and the offset where the body begins.
fn parse_header(data: &[u8]) -> Result<(ObjectMeta, usize), String> {
    let length = data
        .get(..4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .ok_or("truncated header")?;
    let json = data.get(4..4 + length).ok_or("truncated metadata")?;
    let meta: ObjectMeta = serde_json::from_slice(json).map_err(|error| error.to_string())?;
    Ok((meta, 4 + length))
}

/// Reads only an object file's metadata; the body's size comes from the file's length.
fn read_metadata(path: &Path) -> Result<Object, String> {
    use std::io::Read as _;
    let mut file = fs::File::open(path).map_err(|error| error.to_string())?;
    let metadata = file.metadata().map_err(|error| error.to_string())?;
    if !metadata.is_file() {
        return Err("not a regular file".into());
    }
    let file_length = metadata.len();
    let mut length = [0u8; 4];
    file.read_exact(&mut length)
        .map_err(|_| "truncated header".to_owned())?;
    let length = u32::from_le_bytes(length) as u64;
    let body_start = 4 + length;
    if body_start > file_length {
        return Err("truncated metadata".into());
    }
    let mut json = vec![0u8; length as usize];
    file.read_exact(&mut json)
        .map_err(|_| "truncated metadata".to_owned())?;
    let meta: ObjectMeta = serde_json::from_slice(&json).map_err(|error| error.to_string())?;
    // The object is found again by the hash of its key: a file under another name (a copy, say)
    // could be listed but never read.
    let expected = hex::encode(Sha256::digest(meta.key.as_bytes()));
    if path.file_name().and_then(|name| name.to_str()) != Some(expected.as_str()) {
        return Err(format!(
            "its name is not the hash of its key {:?}",
            meta.key
        ));
    }
    Ok(meta.into_object(file_length - body_start))
}

/// Removes the `.tmp-*` files of writes that never reached their rename.
fn remove_temporary_files(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(".tmp-") {
            let path = entry.path();
            if let Err(error) = fs::remove_file(&path) {
                eprintln!("warning: {}: cannot remove: {error}", path.display());
            }
        }
    }
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> StorageError + '_ {
    move |source| StorageError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Writes `parts` to a temporary file next to `path`, syncs it and renames it over `path`.
fn write_atomically(path: &Path, parts: &[&[u8]]) -> Result<(), StorageError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = path.parent().unwrap_or(Path::new("."));
    let temporary = dir.join(format!(
        ".tmp-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut file = fs::File::create(&temporary)?;
        for part in parts {
            file.write_all(part)?;
        }
        file.sync_all()?;
        fs::rename(&temporary, path)
    })();
    result.map_err(|source| {
        let _ = fs::remove_file(&temporary);
        StorageError::Io {
            path: path.to_owned(),
            source,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_on_disk_are_read_when_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            store.create_bucket("b").unwrap();
            store
                .put_object("b", "k", "text/plain".into(), Bytes::from_static(b"body"))
                .unwrap();
            assert!(store.read().buckets["b"].objects["k"].body.is_none());
        }
        let reopened = Store::open(dir.path()).unwrap();
        let stored = reopened.read().buckets["b"].objects["k"].clone();
        assert!(stored.body.is_none(), "no body held in memory at start");
        assert_eq!(stored.object.size, 4);
        let (object, body) = reopened.get_object("b", "k").unwrap();
        assert_eq!(body, Bytes::from_static(b"body"));
        assert_eq!(object.etag, stored.object.etag);
    }
}
