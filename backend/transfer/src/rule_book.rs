//! The access rules of guest collections as last read, kept while they stand. Every change to a
//! collection's rules gives it a new stamp in the same transaction ([`crate::access_rules`]), so
//! a collection read from the store tells whether the rules kept for it are still its rules: a
//! collection shared with a hundred thousand rules is judged without reading them again for each
//! request, and a rule deleted takes effect at the next read of the collection, as before.
//!
//! Kept rules are found by the directory they are on: judging a path looks at the rules of its
//! ancestors only, however many rules the collection has.

use crate::access::{self, AccessRule, Caller, Permission};
use crate::access_rules;
use crate::collections::{Collection, Placement};
use crate::paths::CollectionPath;
use mrdp_service::store::Store;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A collection's rules, by the directory they are on (`/a/b/`).
#[derive(Debug, Default)]
pub struct RuleSet {
    by_directory: HashMap<String, Vec<AccessRule>>,
    count: usize,
}

impl RuleSet {
    pub fn new(rules: Vec<AccessRule>) -> Self {
        let count = rules.len();
        let mut by_directory: HashMap<String, Vec<AccessRule>> = HashMap::new();
        for rule in rules {
            by_directory
                .entry(rule.path.as_dir())
                .or_default()
                .push(rule);
        }
        Self {
            by_directory,
            count,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The strongest permission the rules give `caller` on `path` at `now`: those on `path` and
    /// on the directories above it.
    pub fn granted(
        &self,
        caller: Option<&Caller>,
        path: &CollectionPath,
        now: i64,
    ) -> Option<Permission> {
        access::granted(self.on_or_above(path), caller, path, now)
    }

    /// Whether a live rule is for `caller`, wherever it is.
    pub fn any_for(&self, caller: &Caller, now: i64) -> bool {
        self.by_directory
            .values()
            .flatten()
            .any(|rule| access::is_live(rule, now) && access::applies_to(rule, Some(caller)))
    }

    fn on_or_above<'a>(&'a self, path: &CollectionPath) -> impl Iterator<Item = &'a AccessRule> {
        let relative = path.relative();
        let mut directories = vec!["/".to_owned()];
        let mut directory = String::from("/");
        for name in relative.split('/').filter(|name| !name.is_empty()) {
            directory.push_str(name);
            directory.push('/');
            directories.push(directory.clone());
        }
        directories
            .into_iter()
            .filter_map(|directory| self.by_directory.get(&directory))
            .flatten()
    }
}

/// The rules last read of each guest collection, with the stamp they were read under.
#[derive(Debug, Default)]
pub struct RuleBook {
    kept: Mutex<HashMap<String, (String, Arc<RuleSet>)>>,
}

impl RuleBook {
    fn kept(&self) -> std::sync::MutexGuard<'_, HashMap<String, (String, Arc<RuleSet>)>> {
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `collection`'s rules as of its stamp (a mapped collection has none): those kept when the
    /// stamp is the one they were read under, read now otherwise. Rules read after the
    /// collection may be newer than its stamp, never older, so what is kept is never stale.
    pub async fn rules_of(
        &self,
        store: &Store,
        collection: &Collection,
    ) -> Result<Arc<RuleSet>, sqlx::Error> {
        if matches!(collection.placement, Placement::Mapped { .. }) {
            return Ok(Arc::default());
        }
        if let Some((stamp, rules)) = self.kept().get(&collection.id)
            && *stamp == collection.rules_stamp
        {
            return Ok(Arc::clone(rules));
        }
        let rules = Arc::new(RuleSet::new(
            access_rules::list(store, &collection.id).await?,
        ));
        self.kept().insert(
            collection.id.clone(),
            (collection.rules_stamp.clone(), Arc::clone(&rules)),
        );
        Ok(rules)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Principal;

    fn rule(principal: Principal, at: &str, permission: Permission) -> AccessRule {
        AccessRule {
            id: format!("{principal:?}{at}"),
            principal,
            path: CollectionPath::parse(at).unwrap(),
            permission,
            expires_at: None,
            created_at: 0,
        }
    }

    #[test]
    fn a_path_is_judged_by_the_rules_on_it_and_above_it_only() {
        let alice = Caller {
            identities: vec!["alice".into()],
            groups: vec!["lab".into()],
        };
        let mut rules: Vec<AccessRule> = (0..1000)
            .map(|n| {
                let at = format!("/datasets/{n:04}");
                rule(Principal::Group("other".into()), &at, Permission::Read)
            })
            .collect();
        rules.push(rule(
            Principal::Group("lab".into()),
            "/datasets/0007",
            Permission::Read,
        ));
        rules.push(rule(
            Principal::Identity("alice".into()),
            "/",
            Permission::Read,
        ));
        rules.push(rule(
            Principal::Identity("alice".into()),
            "/datasets/0007/a",
            Permission::ReadWrite,
        ));
        let set = RuleSet::new(rules);
        let at = |raw: &str| CollectionPath::parse(raw).unwrap();
        let granted = |raw: &str| set.granted(Some(&alice), &at(raw), 0);
        assert_eq!(
            granted("/datasets/0007/a/b.csv"),
            Some(Permission::ReadWrite)
        );
        assert_eq!(granted("/datasets/0007/a"), Some(Permission::ReadWrite));
        assert_eq!(granted("/datasets/0007/ab"), Some(Permission::Read));
        assert_eq!(
            granted("/elsewhere"),
            Some(Permission::Read),
            "the root's rule"
        );
        let bob = Caller {
            identities: vec!["bob".into()],
            groups: vec!["other".into()],
        };
        assert_eq!(
            set.granted(Some(&bob), &at("/datasets/0001/x"), 0),
            Some(Permission::Read)
        );
        assert_eq!(set.granted(Some(&bob), &at("/datasets"), 0), None);
        assert!(set.any_for(&bob, 0) && !set.is_empty());
        assert!(!RuleSet::default().any_for(&alice, 0));
    }
}
