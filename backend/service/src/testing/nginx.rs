//! Debian's nginx, started by a test or a benchmark on loopback with a configuration of its own
//! (`make setup` installs it): a file server to measure against, or a TLS load balancer in front
//! of replicas ([`Nginx::balancer`]).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const NGINX: &str = "/usr/sbin/nginx";

/// A running nginx; stopped when dropped.
#[derive(Debug)]
pub struct Nginx {
    child: Child,
    prefix: tempfile::TempDir,
}

impl Nginx {
    /// Starts nginx in `prefix` (its configuration, logs and temporary files go there; so may
    /// certificates) with `http` as its `http { … }` block, and waits until it accepts on `port`.
    pub fn start(prefix: tempfile::TempDir, http: &str, port: u16) -> Result<Self, String> {
        if !Path::new(NGINX).is_file() {
            return Err(format!(
                "{NGINX} is missing: `make setup` installs Debian's nginx"
            ));
        }
        let dir = prefix.path();
        let conf = dir.join("nginx.conf");
        let text = format!(
            "daemon off; worker_processes 1; user root; pid {pid}; error_log {log} warn;\n\
             events {{ worker_connections 256; }}\n\
             http {{\n  client_body_temp_path {tmp}; proxy_temp_path {tmp}; fastcgi_temp_path {tmp};\n  \
             uwsgi_temp_path {tmp}; scgi_temp_path {tmp};\n{http}\n}}\n",
            pid = dir.join("nginx.pid").display(),
            log = dir.join("error.log").display(),
            tmp = dir.display(),
        );
        std::fs::write(&conf, text).map_err(|e| format!("{}: {e}", conf.display()))?;
        let mut child = Command::new(NGINX)
            .arg("-c")
            .arg(&conf)
            .arg("-p")
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("start nginx: {e}"))?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            let log = std::fs::read_to_string(dir.join("error.log")).unwrap_or_default();
            if Instant::now() > deadline || child.try_wait().is_ok_and(|ended| ended.is_some()) {
                let _ = child.kill();
                return Err(format!("nginx did not listen on {port}: {log}"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(Self { child, prefix })
    }
}

/// A TLS site of a balancer: the port nginx listens on, and the servers (`http://host:port`) it
/// sends requests to, round-robin.
#[derive(Debug, Clone, Copy)]
pub struct Site<'a> {
    pub port: u16,
    pub servers: &'a [String],
}

impl Nginx {
    /// nginx terminating TLS on loopback for each of `sites` (a certificate for `127.0.0.1` made
    /// here), as `docs/deployment.md` configures it, and naming in an `X-Replica` header the
    /// server that answered; with the certificate's PEM, for clients to trust.
    pub fn balancer(sites: &[Site<'_>]) -> Result<(Self, String), String> {
        let prefix = tempfile::tempdir().map_err(|e| e.to_string())?;
        let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()])
            .map_err(|e| e.to_string())?;
        let (cert, key) = (
            prefix.path().join("cert.pem"),
            prefix.path().join("key.pem"),
        );
        std::fs::write(&cert, made.cert.pem())
            .and_then(|()| std::fs::write(&key, made.key_pair.serialize_pem()))
            .map_err(|e| e.to_string())?;
        let mut http = String::from("access_log off;\n");
        for (n, site) in sites.iter().enumerate() {
            let servers: String = site
                .servers
                .iter()
                .map(|url| format!("server {};", url.trim_start_matches("http://")))
                .collect();
            http.push_str(&format!(
                "upstream site{n} {{ {servers} }}\n\
                 server {{ listen 127.0.0.1:{port} ssl; ssl_certificate {cert}; \
                 ssl_certificate_key {key};\n  location / {{ proxy_pass http://site{n}; \
                 proxy_http_version 1.1; proxy_buffering off;\n    \
                 proxy_set_header Host $http_host; \
                 proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n    \
                 proxy_set_header X-Forwarded-Proto https; \
                 add_header X-Replica $upstream_addr always; }} }}\n",
                port = site.port,
                cert = cert.display(),
                key = key.display(),
            ));
        }
        let first = sites.first().ok_or("no site")?.port;
        Ok((Self::start(prefix, &http, first)?, made.cert.pem()))
    }
}

impl Drop for Nginx {
    /// Asks the master to stop, which stops its worker too (a SIGKILL to the master alone leaves
    /// the worker running).
    fn drop(&mut self) {
        let prefix = self.prefix.path();
        let stopped = Command::new(NGINX)
            .arg("-c")
            .arg(prefix.join("nginx.conf"))
            .arg("-p")
            .arg(prefix)
            .args(["-s", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if !stopped.is_ok_and(|status| status.success()) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}
