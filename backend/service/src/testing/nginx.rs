//! Debian's nginx, started by a test or a benchmark on loopback with a configuration of its own
//! (`make setup` installs it): a file server to measure against, or a TLS load balancer in front
//! of replicas.

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
