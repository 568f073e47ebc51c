//! Small responses on connections kept alive leave at once: the data server sets `TCP_NODELAY`
//! on every connection it accepts, whether it answers a download itself (`sendfile`) or hands the
//! connection to the routes. Without it, a response written as its head and then its body waited
//! for the client's delayed acknowledgement of the head (Nagle's algorithm): 40 ms a small file.

use crate::fixture::{Fixture, csv};
use mrdp_service::testing::accepted_sockets::assert_accepted_with_nodelay;

#[tokio::test]
async fn downloads_and_handed_over_requests_leave_without_waiting_for_acknowledgements() {
    let fixture = Fixture::start_with(false).await;
    // One connection whose download the data server sends itself, one the routes answer.
    let (downloads, routes) = (reqwest::Client::new(), reqwest::Client::new());
    let download = downloads
        .get(fixture.file(&fixture.shared, "/2020.csv"))
        .bearer_auth("alice")
        .send()
        .await
        .unwrap();
    assert_eq!(download.bytes().await.unwrap().as_ref(), csv().as_slice());
    let health = routes
        .get(format!("{}/health", fixture.url))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    health.bytes().await.unwrap();

    assert_accepted_with_nodelay(&fixture.url);
    fixture.stop().await;
}
