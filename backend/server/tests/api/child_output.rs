//! A child process's standard output, read line by line on a thread of its own, so that every
//! wait for a line ends: with the line, or with a failed test once its time is up (a child that
//! hangs before printing, or prints something else, cannot hang the test run).

use std::io::{BufRead, BufReader};
use std::process::Child;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// How long a service may take to start and say it is ready.
pub const START_LIMIT: Duration = Duration::from_secs(60);

#[derive(Debug)]
pub struct ChildOutput {
    lines: Receiver<String>,
}

impl ChildOutput {
    /// Takes `child`'s piped stdout; it is read to its end, so the child never writes to a
    /// closed pipe.
    pub fn of(child: &mut Child) -> Self {
        let stdout = child.stdout.take().expect("the child's stdout is piped");
        let (sender, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                // The test may stop listening; the child's output is still read to its end.
                let _ = sender.send(line);
            }
        });
        Self { lines }
    }

    /// The lines before the first that starts with `prefix`, which must come within `limit`.
    pub fn until(&self, prefix: &str, limit: Duration) -> Vec<String> {
        let deadline = Instant::now() + limit;
        let mut before = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.starts_with(prefix) => return before,
                Ok(line) => before.push(line),
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no line starting with {prefix:?} within {limit:?}; before: {before:?}")
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the child ended before a line starting with {prefix:?}: {before:?}")
                }
            }
        }
    }

    /// The `mrdp: <service> <url>` lines `mrdp all` prints before `mrdp: ready`, as
    /// `(service, url)`.
    pub fn service_urls(&self) -> Vec<(String, String)> {
        self.until("mrdp: ready", START_LIMIT)
            .iter()
            .filter_map(|line| {
                let mut words = line.split_whitespace().skip(1);
                match (words.next(), words.next()) {
                    (Some(service), Some(url)) if url.starts_with("http") => {
                        Some((service.to_owned(), url.to_owned()))
                    }
                    _ => None,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::{Command, Stdio};

    #[test]
    fn a_wait_for_a_line_that_never_comes_ends_in_time() {
        let mut silent = Command::new("sleep")
            .arg("30")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let output = ChildOutput::of(&mut silent);
        let waited =
            std::panic::catch_unwind(|| output.until("mrdp: ready", Duration::from_millis(200)));
        silent.kill().unwrap();
        silent.wait().unwrap();
        let why = waited.unwrap_err();
        let why = why.downcast_ref::<String>().unwrap();
        assert!(
            why.starts_with("no line starting with \"mrdp: ready\" within"),
            "{why}"
        );
    }
}
