//! One poller per watched task, however many browsers watch it: the first watcher of a
//! researcher's task starts a poller that asks the transfer service about the task (with the
//! researcher's own token), with back-off while nothing changes, and publishes what it learns;
//! every later watcher of that task by that researcher reads the same publication. A poller stops
//! when nobody watches any more, or when the task has ended; an ended task's last state is kept a
//! while, so that watchers who come late are answered without asking again.

use super::task_view;
use crate::auth::session::Session;
use crate::{PortalError, PortalState};
use mrdp_shared::{TransferStatus, TransferTask};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// The first pause between two polls, and the longest (the pause grows while nothing changes).
const FIRST_PAUSE: Duration = Duration::from_millis(250);
const LONGEST_PAUSE: Duration = Duration::from_secs(5);
/// Polls in a row the transfer service may fail before the watchers are told it is unreachable.
const FAILURES_TOLERATED: u32 = 5;
/// How long an ended task's last state is kept for watchers who come late.
const ENDED_KEPT: Duration = Duration::from_secs(60);

/// What the watchers of a task know of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Watched {
    /// Not asked yet.
    Unknown,
    Running(TransferTask),
    Ended(TransferTask),
    /// No such task for this researcher.
    NotFound(String),
    /// The transfer service did not answer, or the researcher's permission ended.
    Unreachable(String),
}

/// A researcher's identity and a task id.
type Key = (String, String);

/// The tasks watched now, and how many polls have been made since the portal started.
#[derive(Debug, Default)]
pub struct TaskWatchers {
    watched: Mutex<HashMap<Key, watch::Sender<Watched>>>,
    polls: AtomicU64,
    pollers: AtomicU64,
}

impl TaskWatchers {
    fn watched(&self) -> std::sync::MutexGuard<'_, HashMap<Key, watch::Sender<Watched>>> {
        self.watched
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How many times the portal has asked the transfer service about a watched task.
    pub fn polls(&self) -> u64 {
        self.polls.load(Ordering::Relaxed)
    }

    /// How many pollers the portal has started.
    pub fn pollers(&self) -> u64 {
        self.pollers.load(Ordering::Relaxed)
    }

    /// Takes the task `key` off the watched ones if nobody watches it; whether it did. Decided
    /// under the lock [`Self::watch`] subscribes under, so that a watcher who comes meanwhile
    /// keeps the poller going rather than joining one about to stop.
    fn forget_if_unwatched(&self, key: &Key, sender: &watch::Sender<Watched>) -> bool {
        let mut watched = self.watched();
        let unwatched = sender.receiver_count() == 0;
        if unwatched && ours(&watched, key, sender) {
            watched.remove(key);
        }
        unwatched
    }

    /// Takes the task `key` off the watched ones (unless another poller has it now).
    fn forget(&self, key: &Key, sender: &watch::Sender<Watched>) {
        let mut watched = self.watched();
        if ours(&watched, key, sender) {
            watched.remove(key);
        }
    }

    /// Watches `task_id` of the researcher of `session`: joins the task's poller, or starts one.
    pub fn watch(
        self: &Arc<Self>,
        state: &PortalState,
        session: &Session,
        task_id: &str,
    ) -> watch::Receiver<Watched> {
        let key = (session.identity_id.clone(), task_id.to_owned());
        let mut watched = self.watched();
        if let Some(sender) = watched.get(&key) {
            return sender.subscribe();
        }
        let (sender, receiver) = watch::channel(Watched::Unknown);
        watched.insert(key.clone(), sender.clone());
        self.pollers.fetch_add(1, Ordering::Relaxed);
        let poller = Poller {
            watchers: Arc::clone(self),
            state: state.clone(),
            session: session.clone(),
            key,
            sender,
        };
        tokio::spawn(poller.run());
        receiver
    }
}

/// Whether the watched task `key` is `sender`'s (not one started after its poller stopped).
fn ours(
    watched: &HashMap<Key, watch::Sender<Watched>>,
    key: &Key,
    sender: &watch::Sender<Watched>,
) -> bool {
    watched
        .get(key)
        .is_some_and(|kept| kept.same_channel(sender))
}

struct Poller {
    watchers: Arc<TaskWatchers>,
    state: PortalState,
    session: Session,
    key: Key,
    sender: watch::Sender<Watched>,
}

impl Poller {
    async fn run(self) {
        let (mut pause, mut failures) = (FIRST_PAUSE, 0);
        loop {
            let asked = self.ask().await;
            self.watchers.polls.fetch_add(1, Ordering::Relaxed);
            let news = match asked {
                Ok(task) if task.status == TransferStatus::Active => Watched::Running(task),
                Ok(task) => Watched::Ended(task),
                Err(PortalError::NotFound(message)) => Watched::NotFound(message),
                Err(_) if failures < FAILURES_TOLERATED => {
                    failures += 1;
                    tokio::time::sleep(pause).await;
                    continue;
                }
                Err(error) => Watched::Unreachable(error.to_string()),
            };
            failures = 0;
            let changed = self.publish(news);
            let (running, ended) = {
                let known = self.sender.borrow();
                (
                    matches!(*known, Watched::Running(_)),
                    matches!(*known, Watched::Ended(_)),
                )
            };
            if ended {
                break;
            }
            if !running {
                return self.forget();
            }
            if self.forget_if_unwatched() {
                return;
            }
            pause = if changed {
                FIRST_PAUSE
            } else {
                (pause * 3 / 2).min(LONGEST_PAUSE)
            };
            tokio::time::sleep(pause).await;
        }
        tokio::time::sleep(ENDED_KEPT).await;
        self.forget();
    }

    async fn ask(&self) -> Result<TransferTask, PortalError> {
        let transfer = self.state.transfer_as(&self.session).await?;
        Ok(task_view::of(transfer.task(&self.key.1).await?))
    }

    /// Publishes `news` unless it is what the watchers have, or would take progress back;
    /// whether it was published.
    fn publish(&self, news: Watched) -> bool {
        self.sender.send_if_modified(|known| {
            let behind = match (&*known, &news) {
                (Watched::Running(was) | Watched::Ended(was), Watched::Running(now)) => {
                    now.files_transferred < was.files_transferred
                        || now.bytes_transferred < was.bytes_transferred
                }
                _ => false,
            };
            if behind || *known == news {
                return false;
            }
            *known = news;
            true
        })
    }

    fn forget(&self) {
        self.watchers.forget(&self.key, &self.sender);
    }

    fn forget_if_unwatched(&self) -> bool {
        self.watchers.forget_if_unwatched(&self.key, &self.sender)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poller_with_a_watcher_who_just_came_is_not_forgotten() {
        let watchers = TaskWatchers::default();
        let key: Key = ("alice".into(), "task".into());
        let (sender, first) = watch::channel(Watched::Unknown);
        watchers.watched().insert(key.clone(), sender.clone());
        drop(first);
        let late = watchers.watched().get(&key).map(watch::Sender::subscribe);
        assert!(
            !watchers.forget_if_unwatched(&key, &sender),
            "the late watcher keeps it"
        );
        assert!(watchers.watched().contains_key(&key));
        drop(late);
        assert!(watchers.forget_if_unwatched(&key, &sender));
        assert!(!watchers.watched().contains_key(&key));

        // A poller that stopped does not take away the one started after it.
        let (newer, _watching) = watch::channel(Watched::Unknown);
        watchers.watched().insert(key.clone(), newer);
        watchers.forget(&key, &sender);
        assert!(watchers.watched().contains_key(&key));
    }
}
