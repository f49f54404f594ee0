//! POST object (browser form upload): a `multipart/form-data` body with a `key` field (which may
//! contain `${filename}`), optional `Content-Type`, `success_action_status` and `x-amz-meta-*`
//! fields, and the `file` field last. Answers 204 by default, 200 or 201 (with a `PostResponse`
//! document) when `success_action_status` asks for them.
//!
//! With credentials configured, the form must carry a SigV4 policy signature (`Policy`,
//! `X-Amz-Credential`, `X-Amz-Signature`); the signature is verified, the policy's conditions are
//! not evaluated.

use cors_engine::s3::S3Error;
use cors_engine::s3::object::{self, PostForm};
use http::{StatusCode, header};

use super::errors;
use super::handlers::Call;
use super::render::Reply;
use super::storage::ObjectAttributes;
use crate::sigv4;

pub(crate) fn post_object(call: &Call<'_>) -> Result<Reply, S3Error> {
    let form = object::read_post_form(call.header("content-type"), &call.body)?;
    if let Some(keys) = &call.shared.keys {
        verify_policy(keys, &form)?;
    }
    let key = form.key()?;
    let file = form.file();
    let attributes = ObjectAttributes {
        content_type: form.content_type().into_owned(),
        headers: form.stored_headers(),
        last_modified: None,
    };
    let stored = call
        .shared
        .store
        .put_object_with(
            call.bucket,
            &key,
            attributes,
            call.body.slice_ref(file.value),
        )
        .map_err(|error| call.storage_error(error))?;
    let location = object::location(&call.host, call.bucket, &key);
    let status = form.success_status();
    let reply = Reply::new(StatusCode::from_u16(status).unwrap_or(StatusCode::NO_CONTENT))
        .header(header::ETAG, stored.etag.clone())
        .header(header::LOCATION, location.clone());
    if status == 201 {
        return Ok(reply.xml(object::post_response(
            &location,
            call.bucket,
            &key,
            &stored.etag,
        )));
    }
    Ok(reply)
}

fn verify_policy(credentials: &super::AwsKeys, form: &PostForm<'_>) -> Result<(), S3Error> {
    let text = |name: &str| form.text(name).map(|value| value.into_owned());
    let (Some(policy), Some(credential), Some(signature)) = (
        text("policy"),
        text("x-amz-credential"),
        text("x-amz-signature"),
    ) else {
        return Err(S3Error::access_denied());
    };
    let parts: Vec<&str> = credential.split('/').collect();
    let [access_key, date, region, service, "aws4_request"] = parts.as_slice() else {
        return Err(S3Error::access_denied());
    };
    if *access_key != credentials.access_key {
        return Err(errors::invalid_access_key_id(access_key));
    }
    let key = sigv4::signing_key(&credentials.secret_key, date, region, service);
    let expected = sigv4::signature(&key, &policy);
    if expected != signature.trim() {
        return Err(errors::signature_does_not_match(
            access_key, &policy, &signature, "",
        ));
    }
    Ok(())
}
