//! Request headers over their limits are refused before anything else reads them: one header of
//! more than 8 KiB, or more than 32 KiB of headers in all (as nginx's default buffers allow), is
//! `431` with the API's error body saying which limit.

use crate::PortalError;
use crate::error::refusal;
use actix_web::body::EitherBody;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderMap;
use actix_web::middleware::Next;

/// The most bytes one header (name and value) may have.
pub const MOST_PER_HEADER: usize = 8 * 1024;
/// The most bytes all headers may have together.
pub const MOST_IN_ALL: usize = 32 * 1024;

fn excess(headers: &HeaderMap) -> Option<String> {
    let mut total = 0;
    for (name, value) in headers {
        let size = name.as_str().len() + value.len();
        if size > MOST_PER_HEADER {
            return Some(format!(
                "the header {name} has {size} bytes; the API takes at most {MOST_PER_HEADER} per header"
            ));
        }
        total += size;
    }
    (total > MOST_IN_ALL).then(|| {
        format!("the headers have {total} bytes; the API takes at most {MOST_IN_ALL} in all")
    })
}

/// The middleware of the `/api` scope.
pub async fn refuse_oversized(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if let Some(why) = excess(req.headers()) {
        return Ok(refusal(req, &PortalError::HeadersTooLarge(why)));
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(sizes: &[usize]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (n, size) in sizes.iter().enumerate() {
            let name = HeaderName::try_from(format!("x-h{n}")).unwrap();
            let value = HeaderValue::from_str(&"v".repeat(*size)).unwrap();
            headers.insert(name, value);
        }
        headers
    }

    #[test]
    fn one_header_and_all_of_them_have_their_limits() {
        assert_eq!(excess(&headers(&[100, 8000])), None);
        let one = excess(&headers(&[MOST_PER_HEADER])).unwrap();
        assert!(one.starts_with("the header x-h0 has 8196 bytes"), "{one}");
        let all = excess(&headers(&[8000; 5])).unwrap();
        assert!(all.starts_with("the headers have 40020 bytes"), "{all}");
    }
}
