//! A task's progress in words and numbers for the activity pages: how far along it is, how fast,
//! and about how long is left. By bytes when the transfer service says how many are to be copied
//! (the embedded one does); otherwise by files, time left estimated from the bytes of an average
//! file done so far (Globus says only how many files are to be copied).

use crate::size::size_text;
use mrdp_shared::{TransferStatus, TransferTask};

/// The files done (copied, or already there), of `task.files`.
pub fn files_done(task: &TransferTask) -> u64 {
    task.files_transferred + task.files_skipped
}

/// The bytes to copy, when known and some are.
fn bytes_expected(task: &TransferTask) -> Option<u64> {
    task.bytes_expected.filter(|bytes| *bytes > 0)
}

/// How far along the task is, 0 to 100; `None` while the files to do are not yet known.
pub fn percent(task: &TransferTask) -> Option<u64> {
    if task.status == TransferStatus::Succeeded {
        return Some(100);
    }
    let share = |done: u64, of: u64| {
        u64::try_from(u128::from(done) * 100 / u128::from(of))
            .unwrap_or(100)
            .min(100)
    };
    match bytes_expected(task) {
        Some(bytes) => Some(share(task.bytes_transferred, bytes)),
        None => (task.files > 0).then(|| share(files_done(task), task.files)),
    }
}

/// About how many seconds are left, while it runs and something is done.
pub fn seconds_left(task: &TransferTask) -> Option<u64> {
    let done = files_done(task);
    let started = done > 0 || bytes_expected(task).is_some();
    if task.status != TransferStatus::Active || !started || task.bytes_per_second == 0 {
        return None;
    }
    let remaining = match bytes_expected(task) {
        Some(bytes) => bytes
            .checked_sub(task.bytes_transferred)
            .filter(|n| *n > 0)?,
        None => {
            let remaining_files = task.files.checked_sub(done).filter(|n| *n > 0)?;
            remaining_files * (task.bytes_transferred / done)
        }
    };
    Some(remaining.div_ceil(task.bytes_per_second))
}

/// `75` → "1 min 15 s".
pub fn duration_text(seconds: u64) -> String {
    match seconds {
        0..60 => format!("{seconds} s"),
        60..3600 => format!("{} min {} s", seconds / 60, seconds % 60),
        _ => format!("{} h {} min", seconds / 3600, seconds % 3600 / 60),
    }
}

/// "3 of 10 files · 1.2 MB of 4.0 MB · 400.0 KB/s · about 5 s left" (the bytes to copy when
/// known).
pub fn summary(task: &TransferTask) -> String {
    let files = if task.files == 0 {
        "finding files".to_owned()
    } else {
        format!("{} of {} files", files_done(task), task.files)
    };
    let bytes = match bytes_expected(task) {
        Some(expected) => format!(
            "{} of {}",
            size_text(task.bytes_transferred),
            size_text(expected)
        ),
        None => size_text(task.bytes_transferred),
    };
    let mut parts = vec![files, bytes];
    if task.bytes_per_second > 0 {
        parts.push(format!("{}/s", size_text(task.bytes_per_second)));
    }
    if let Some(left) = seconds_left(task) {
        parts.push(format!("about {} left", duration_text(left)));
    }
    parts.join(" · ")
}

/// The CSS class and the word of a status badge.
pub fn status_text(status: TransferStatus) -> (&'static str, &'static str) {
    match status {
        TransferStatus::Active => ("active", "Running"),
        TransferStatus::Inactive => ("degraded", "Paused"),
        TransferStatus::Succeeded => ("ok", "Succeeded"),
        TransferStatus::Failed => ("down", "Failed"),
        TransferStatus::Canceled => ("canceled", "Canceled"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mrdp_shared::TaskKind;

    fn task(status: TransferStatus, files: u64, done: u64, bytes: u64, rate: u64) -> TransferTask {
        TransferTask {
            task_id: "t".into(),
            kind: TaskKind::Transfer,
            label: None,
            status,
            source: None,
            destination: None,
            files,
            files_transferred: done,
            files_skipped: 0,
            bytes_transferred: bytes,
            bytes_expected: None,
            bytes_per_second: rate,
            faults: 0,
            requested_at: String::new(),
            completed_at: None,
            deadline: None,
            problem: None,
        }
    }

    #[test]
    fn progress_counts_files_and_is_whole_once_succeeded() {
        assert_eq!(percent(&task(TransferStatus::Active, 0, 0, 0, 0)), None);
        assert_eq!(
            percent(&task(TransferStatus::Active, 4, 1, 10, 1)),
            Some(25)
        );
        assert_eq!(
            percent(&task(TransferStatus::Succeeded, 0, 0, 0, 0)),
            Some(100)
        );
    }

    #[test]
    fn time_left_comes_from_the_average_file_done_and_the_rate() {
        // 2 of 6 files, 2,000 bytes so far, 100 bytes a second: 4 × 1,000 bytes left, 40 s.
        let running = task(TransferStatus::Active, 6, 2, 2000, 100);
        assert_eq!(seconds_left(&running), Some(40));
        assert_eq!(
            summary(&running),
            "2 of 6 files · 2.0 KB · 100 B/s · about 40 s left"
        );
        assert_eq!(
            seconds_left(&task(TransferStatus::Active, 6, 0, 0, 100)),
            None
        );
        assert_eq!(
            seconds_left(&task(TransferStatus::Failed, 6, 2, 2000, 100)),
            None
        );
    }

    #[test]
    fn with_the_bytes_to_copy_known_progress_and_time_left_go_by_bytes() {
        // One large file, a quarter copied at 100 bytes a second: 30 s left.
        let running = TransferTask {
            bytes_expected: Some(4000),
            ..task(TransferStatus::Active, 1, 0, 1000, 100)
        };
        assert_eq!(percent(&running), Some(25));
        assert_eq!(seconds_left(&running), Some(30));
        assert_eq!(
            summary(&running),
            "0 of 1 files · 1.0 KB of 4.0 KB · 100 B/s · about 30 s left"
        );
        let nothing_to_copy = TransferTask {
            bytes_expected: Some(0),
            ..task(TransferStatus::Active, 2, 1, 0, 0)
        };
        assert_eq!(percent(&nothing_to_copy), Some(50), "by files then");
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration_text(5), "5 s");
        assert_eq!(duration_text(75), "1 min 15 s");
        assert_eq!(duration_text(7260), "2 h 1 min");
    }
}
