//! The server's end of the connections a test made to a server running in the same process,
//! found among this process's descriptors (as a debugger takes a copy of one, `pidfd_getfd`):
//! what a test checks of a socket it cannot otherwise reach, its options, without timing anything.

use rustix::net::{getpeername, getsockname, sockopt};
use rustix::process::{PidfdFlags, PidfdGetfdFlags, getpid, pidfd_getfd, pidfd_open};
use std::net::SocketAddr;

/// `TCP_NODELAY` of each connection a server in this process accepted at `server` and still
/// holds open.
pub fn nodelay_of_accepted(server: SocketAddr) -> Vec<bool> {
    let this_process = pidfd_open(getpid(), PidfdFlags::empty()).expect("a pidfd of this process");
    let descriptors = std::fs::read_dir("/proc/self/fd").expect("list this process's descriptors");
    let mut found = Vec::new();
    for entry in descriptors.flatten() {
        let Some(descriptor) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        // Closed since it was listed, or not a socket: not a connection.
        let Ok(copy) = pidfd_getfd(&this_process, descriptor, PidfdGetfdFlags::empty()) else {
            continue;
        };
        let local = getsockname(&copy)
            .ok()
            .and_then(|address| SocketAddr::try_from(address).ok());
        // The listening socket has the same address and no peer.
        let connected = getpeername(&copy).is_ok_and(|peer| peer.is_some());
        if local == Some(server) && connected {
            found.push(sockopt::tcp_nodelay(&copy).expect("read TCP_NODELAY"));
        }
    }
    found
}

/// Asserts that the server at `url` (`http://` or `https://` and an IP address with its port)
/// holds at least one connection and sets `TCP_NODELAY` on all: a small response then leaves at
/// once, instead of waiting for the client's delayed acknowledgement of the segment before it
/// (Nagle's algorithm), up to 40 ms a response on a connection kept alive.
pub fn assert_accepted_with_nodelay(url: &str) {
    let address = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest)
        .trim_end_matches('/');
    let server: SocketAddr = address.parse().expect("an IP address and port");
    let nodelay = nodelay_of_accepted(server);
    assert!(!nodelay.is_empty(), "no connection accepted at {server}");
    assert!(
        nodelay.iter().all(|set| *set),
        "TCP_NODELAY of the connections accepted at {server}: {nodelay:?}"
    );
}
