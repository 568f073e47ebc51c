//! One connection to the data server carrying many requests, as browsers and clients reuse
//! them: downloads sent straight from the file (`sendfile`) and everything handed to the routes
//! (refusals, uploads, escaped URLs) answer in order, whole, and the connection stays usable; a
//! refused upload is answered, not reset; an upload cut short or failing leaves nothing behind.

use crate::fixture::{CSV, Fixture, csv, journalled, partials};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// One response read off a connection.
#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// A client connection, written to and read from by hand.
struct Connection(BufReader<TcpStream>);

impl Connection {
    async fn open(fixture: &Fixture) -> Self {
        let address = fixture.url.trim_start_matches("http://");
        Self(BufReader::new(TcpStream::connect(address).await.unwrap()))
    }

    async fn send(&mut self, requests: &str) {
        self.send_bytes(requests.as_bytes()).await;
    }

    async fn send_bytes(&mut self, bytes: &[u8]) {
        self.0.get_mut().write_all(bytes).await.unwrap();
    }

    /// Reads the next response; a `HEAD`'s has no body whatever its `Content-Length`.
    async fn response(&mut self, to_head: bool) -> Response {
        let mut line = String::new();
        self.0.read_line(&mut line).await.unwrap();
        let status = line[9..12].parse().unwrap();
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.0.read_line(&mut line).await.unwrap();
            let Some((name, value)) = line.trim_end().split_once(':') else {
                break;
            };
            headers.push((name.to_owned(), value.trim().to_owned()));
        }
        let mut response = Response {
            status,
            headers,
            body: Vec::new(),
        };
        if !to_head {
            let length = response.header("content-length").unwrap().parse().unwrap();
            response.body = vec![0; length];
            self.0.read_exact(&mut response.body).await.unwrap();
        }
        response
    }

    /// Whether the server closed the connection, with nothing more sent.
    async fn closed(mut self) -> bool {
        let mut rest = Vec::new();
        self.0.read_to_end(&mut rest).await.unwrap();
        rest.is_empty()
    }
}

fn request(method: &str, target: &str, token: &str, extra: &str) -> String {
    format!(
        "{method} {target} HTTP/1.1\r\nHost: data\r\nAuthorization: Bearer {token}\r\n{extra}\r\n"
    )
}

#[tokio::test]
async fn downloads_and_handed_over_requests_share_a_connection_in_order() {
    let fixture = Fixture::start().await;
    let mut connection = Connection::open(&fixture).await;
    let file = format!("/{}/2020.csv", fixture.shared);

    // Three requests in one write (pipelined): whole, a part, a HEAD.
    let pipelined = [
        request("GET", &file, "alice", ""),
        request("GET", &file, "alice", "Range: bytes=10-19\r\n"),
        request("HEAD", &file, "alice", ""),
    ];
    connection.send(&pipelined.concat()).await;
    let whole = connection.response(false).await;
    assert_eq!(whole.status, 200);
    assert_eq!(whole.body, csv());
    assert_eq!(whole.header("content-type"), Some("text/csv"));
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));
    assert!(whole.header("x-request-id").is_some());
    let part = connection.response(false).await;
    assert_eq!(part.status, 206);
    let range = format!("bytes 10-19/{CSV}");
    assert_eq!(part.header("content-range"), Some(range.as_str()));
    assert_eq!(part.body, &csv()[10..20]);
    let head = connection.response(true).await;
    assert_eq!(head.status, 200);
    let length = CSV.to_string();
    assert_eq!(head.header("content-length"), Some(length.as_str()));

    // A refusal is the routes' (a Globus-style JSON error), on the same connection.
    connection.send(&request("GET", &file, "bob", "")).await;
    let refused = connection.response(false).await;
    assert_eq!(refused.status, 403);
    assert!(String::from_utf8_lossy(&refused.body).contains("no access"));

    // An upload with its body, then a download of it with an escaped name, then one more.
    let upload = format!("/{}/uploads/a%20b.txt", fixture.shared);
    let put = request("PUT", &upload, "bob", "Content-Length: 5\r\n") + "hello";
    connection.send(&put).await;
    assert_eq!(connection.response(false).await.status, 200);
    connection.send(&request("GET", &upload, "bob", "")).await;
    assert_eq!(connection.response(false).await.body, b"hello");
    connection
        .send(&request("GET", &file, "alice", "Connection: close\r\n"))
        .await;
    assert_eq!(connection.response(false).await.body, csv());
    assert!(
        connection.closed().await,
        "closed after the answer, as asked"
    );
    fixture.stop().await;
}

/// Request heads ending their lines with a bare LF, as HTTP parsers (httparse among them)
/// accept: two pipelined in one write are both answered, the second not taken for part of the
/// first.
#[tokio::test]
async fn pipelined_heads_with_bare_line_feeds_are_each_answered() {
    let fixture = Fixture::start().await;
    let mut connection = Connection::open(&fixture).await;
    let file = format!("/{}/2020.csv", fixture.shared);
    let bare = |range: &str| {
        format!("GET {file} HTTP/1.1\nHost: data\nAuthorization: Bearer alice\n{range}\n")
    };
    let crlf = request("GET", &file, "alice", "Range: bytes=0-4\r\n");
    connection
        .send(&[bare(""), bare("Range: bytes=5-9\n"), crlf].concat())
        .await;
    assert_eq!(connection.response(false).await.body, csv());
    let second = connection.response(false).await;
    assert_eq!((second.status, &second.body[..]), (206, &csv()[5..10]));
    let third = connection.response(false).await;
    assert_eq!((third.status, &third.body[..]), (206, &csv()[0..5]));
    fixture.stop().await;
}

#[tokio::test]
async fn a_download_asked_to_close_closes_and_a_range_beyond_the_file_is_refused() {
    let fixture = Fixture::start().await;
    let file = format!("/{}/2020.csv", fixture.shared);
    let mut connection = Connection::open(&fixture).await;
    let beyond = format!("Range: bytes={CSV}-\r\n");
    connection
        .send(&request("GET", &file, "alice", &beyond))
        .await;
    let refused = connection.response(false).await;
    assert_eq!(refused.status, 416);
    let unsatisfied = format!("bytes */{CSV}");
    assert_eq!(refused.header("content-range"), Some(unsatisfied.as_str()));

    let mut connection = Connection::open(&fixture).await;
    connection
        .send(&request("GET", &file, "alice", "Connection: close\r\n"))
        .await;
    let whole = connection.response(false).await;
    assert_eq!(whole.header("connection"), Some("close"));
    assert_eq!(whole.body, csv());
    assert!(connection.closed().await);
    fixture.stop().await;
}

#[tokio::test]
async fn a_refused_upload_is_read_to_its_end_and_answered_not_reset() {
    let fixture = Fixture::start().await;
    let mut connection = Connection::open(&fixture).await;
    // 32 MiB: far more than the sockets hold, so a server that answered and closed without
    // reading would reset the connection while the client still writes.
    let size = 32 << 20;
    let target = format!("/{}/uploads/refused.bin", fixture.shared);
    let head = request(
        "PUT",
        &target,
        "alice",
        &format!("Content-Length: {size}\r\n"),
    );
    connection.send(&head).await;
    let body = vec![7_u8; size];
    connection.0.get_mut().write_all(&body).await.unwrap();
    let refused = connection.response(false).await;
    assert_eq!(refused.status, 403, "alice may only read");
    assert!(!fixture.root.join("data/uploads/refused.bin").exists());
    fixture.stop().await;
}

/// No temporary file in the uploads' directory, nothing in the journal.
async fn nothing_left_of_uploads(fixture: &Fixture) {
    assert!(partials(&fixture.root.join("data/uploads")).is_empty());
    assert_eq!(journalled(&fixture.store).await, 0);
}

/// `length` bytes that are not all alike.
fn varied(length: usize) -> Vec<u8> {
    (0..length).map(|i| (i * 7 % 251) as u8).collect()
}

#[tokio::test]
async fn uploads_in_pieces_pipelined_or_waiting_to_continue_land_whole_on_one_connection() {
    let fixture = Fixture::start().await;
    let uploads = fixture.root.join("data/uploads");
    let mut connection = Connection::open(&fixture).await;

    // 3 MiB and a bit, in pieces: the head and the first bytes in one write, the rest after.
    let body = varied((3 << 20) + 12_345);
    let big = format!("/{}/uploads/big.bin", fixture.shared);
    let length = format!("Content-Length: {}\r\n", body.len());
    let head = request("PUT", &big, "bob", &length);
    connection
        .send_bytes(&[head.as_bytes(), &body[..1000]].concat())
        .await;
    for piece in body[1000..].chunks(1 << 20) {
        connection.send_bytes(piece).await;
    }
    let stored = connection.response(false).await;
    assert_eq!(stored.status, 200);
    assert_eq!(stored.header("content-length"), Some("0"));
    assert!(stored.header("x-request-id").is_some());
    assert_eq!(std::fs::read(uploads.join("big.bin")).unwrap(), body);

    // A small upload and a download of it, pipelined in one write.
    let small = format!("/{}/uploads/small.txt", fixture.shared);
    let put = request("PUT", &small, "bob", "Content-Length: 5\r\n") + "hello";
    connection
        .send(&(put + &request("GET", &small, "bob", "")))
        .await;
    assert_eq!(connection.response(false).await.status, 200);
    assert_eq!(connection.response(false).await.body, b"hello");

    // An upload that waits for `100 Continue` before its body, then an empty one.
    let waiting = format!("/{}/uploads/waiting.txt", fixture.shared);
    let expect = "Expect: 100-continue\r\nContent-Length: 3\r\n";
    connection
        .send(&request("PUT", &waiting, "bob", expect))
        .await;
    assert_eq!(connection.response(true).await.status, 100);
    connection.send("abc").await;
    assert_eq!(connection.response(false).await.status, 200);
    assert_eq!(std::fs::read(uploads.join("waiting.txt")).unwrap(), b"abc");
    let empty = format!("/{}/uploads/empty.txt", fixture.shared);
    connection
        .send(&request("PUT", &empty, "bob", "Content-Length: 0\r\n"))
        .await;
    assert_eq!(connection.response(false).await.status, 200);
    assert_eq!(std::fs::read(uploads.join("empty.txt")).unwrap(), b"");

    nothing_left_of_uploads(&fixture).await;
    fixture.stop().await;
}

#[tokio::test]
async fn an_upload_cut_short_is_given_up_and_leaves_nothing() {
    let fixture = Fixture::start().await;
    let uploads = fixture.root.join("data/uploads");
    let mut connection = Connection::open(&fixture).await;
    let target = format!("/{}/uploads/cut.bin", fixture.shared);
    let head = request("PUT", &target, "bob", "Content-Length: 2000000\r\n");
    connection
        .send_bytes(&[head.as_bytes(), &varied(1 << 20)].concat())
        .await;
    // The client stops sending, half-way.
    connection.0.get_mut().shutdown().await.unwrap();
    let given_up = connection.response(false).await;
    assert_eq!(given_up.status, 400);
    assert!(String::from_utf8_lossy(&given_up.body).contains("did not complete"));
    assert!(connection.closed().await);
    assert!(!uploads.join("cut.bin").exists());
    nothing_left_of_uploads(&fixture).await;
    fixture.stop().await;
}

#[tokio::test]
async fn an_upload_that_cannot_be_put_in_place_is_answered_after_its_body() {
    let fixture = Fixture::start().await;
    let uploads = fixture.root.join("data/uploads");
    let mut connection = Connection::open(&fixture).await;
    let target = format!("/{}/uploads/blocked.bin", fixture.shared);
    let body = varied(2 << 20);
    let length = format!("Content-Length: {}\r\n", body.len());
    let head = request("PUT", &target, "bob", &length);
    connection
        .send_bytes(&[head.as_bytes(), &body[..1 << 20]].concat())
        .await;
    // While the body is on its way, a directory takes the file's name.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while partials(&uploads).is_empty() {
        assert!(std::time::Instant::now() < deadline, "the upload began");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    std::fs::create_dir_all(uploads.join("blocked.bin/inside")).unwrap();
    connection.send_bytes(&body[1 << 20..]).await;
    let refused = connection.response(false).await;
    assert_eq!(refused.status, 409);
    assert_eq!(refused.header("content-type"), Some("application/json"));
    assert!(String::from_utf8_lossy(&refused.body).contains("ClientError.Conflict"));
    nothing_left_of_uploads(&fixture).await;
    // The body was read whole: the connection goes on.
    let file = format!("/{}/2020.csv", fixture.shared);
    connection.send(&request("GET", &file, "alice", "")).await;
    assert_eq!(connection.response(false).await.body, csv());
    fixture.stop().await;
}
