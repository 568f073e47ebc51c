//! A task's progress in words and numbers for the activity pages: how far along it is, how fast,
//! and about how long is left. The transfer service counts files and bytes done, and the files
//! to do once its folders are walked, but not the bytes to do: time left is estimated from the
//! bytes of an average file done so far.

use crate::size::size_text;
use mrdp_shared::{TransferStatus, TransferTask};

/// The files done (copied, or already there), of `task.files`.
pub fn files_done(task: &TransferTask) -> u64 {
    task.files_transferred + task.files_skipped
}

/// How far along the task is, 0 to 100; `None` while the files to do are not yet known.
pub fn percent(task: &TransferTask) -> Option<u64> {
    if task.status == TransferStatus::Succeeded {
        return Some(100);
    }
    (task.files > 0).then(|| (files_done(task) * 100 / task.files).min(100))
}

/// About how many seconds are left, while it runs and something is done.
pub fn seconds_left(task: &TransferTask) -> Option<u64> {
    let done = files_done(task);
    if task.status != TransferStatus::Active || done == 0 || task.bytes_per_second == 0 {
        return None;
    }
    let remaining_files = task.files.checked_sub(done).filter(|n| *n > 0)?;
    let bytes_per_file = task.bytes_transferred / done;
    Some((remaining_files * bytes_per_file).div_ceil(task.bytes_per_second))
}

/// `75` → "1 min 15 s".
pub fn duration_text(seconds: u64) -> String {
    match seconds {
        0..60 => format!("{seconds} s"),
        60..3600 => format!("{} min {} s", seconds / 60, seconds % 60),
        _ => format!("{} h {} min", seconds / 3600, seconds % 3600 / 60),
    }
}

/// "3 of 10 files · 1.2 MB · 400.0 KB/s · about 5 s left".
pub fn summary(task: &TransferTask) -> String {
    let files = if task.files == 0 {
        "finding files".to_owned()
    } else {
        format!("{} of {} files", files_done(task), task.files)
    };
    let mut parts = vec![files, size_text(task.bytes_transferred)];
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
    fn durations_read_as_people_say_them() {
        assert_eq!(duration_text(5), "5 s");
        assert_eq!(duration_text(75), "1 min 15 s");
        assert_eq!(duration_text(7260), "2 h 1 min");
    }
}
