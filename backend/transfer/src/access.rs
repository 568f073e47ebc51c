//! Who may do what in a collection: the owner everything; on a guest collection, others what its
//! access rules grant — `r` or `rw` on a directory and everything below it, to an identity, a
//! group, every signed-in user, or anyone.

use crate::paths::CollectionPath;
pub use mrdp_globus::transfer::{Permission, PrincipalType};

/// Whom a rule is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Identity(String),
    Group(String),
    AllAuthenticatedUsers,
    Anonymous,
}

impl Principal {
    /// The Transfer API's `principal_type` and `principal` (empty for the last two).
    pub fn wire(&self) -> (PrincipalType, &str) {
        match self {
            Self::Identity(id) => (PrincipalType::Identity, id),
            Self::Group(id) => (PrincipalType::Group, id),
            Self::AllAuthenticatedUsers => (PrincipalType::AllAuthenticatedUsers, ""),
            Self::Anonymous => (PrincipalType::Anonymous, ""),
        }
    }

    /// The principal of a rule; `None` when an identity or a group is not named.
    pub fn from_wire(principal_type: PrincipalType, principal: &str) -> Option<Self> {
        match (principal_type, principal) {
            (PrincipalType::Identity | PrincipalType::Group, "") => None,
            (PrincipalType::Identity, id) => Some(Self::Identity(id.to_owned())),
            (PrincipalType::Group, id) => Some(Self::Group(id.to_owned())),
            (PrincipalType::AllAuthenticatedUsers, _) => Some(Self::AllAuthenticatedUsers),
            (PrincipalType::Anonymous, _) => Some(Self::Anonymous),
        }
    }
}

/// One access rule of a guest collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRule {
    pub id: String,
    pub principal: Principal,
    /// The directory it opens (and everything below it).
    pub path: CollectionPath,
    pub permission: Permission,
    /// Unix seconds after which the rule no longer applies.
    pub expires_at: Option<i64>,
    pub created_at: i64,
}

/// Who asks: the identities of a verified token (its `identity_set`) and their groups; `None`
/// is an anonymous request. A task keeps its submitter's, as JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Caller {
    pub identities: Vec<String>,
    pub groups: Vec<String>,
}

impl Caller {
    pub fn is(&self, identity: &str) -> bool {
        self.identities.iter().any(|id| id == identity)
    }

    fn matches(&self, principal: &Principal) -> bool {
        match principal {
            Principal::Identity(id) => self.is(id),
            Principal::Group(id) => self.groups.iter().any(|g| g == id),
            Principal::AllAuthenticatedUsers | Principal::Anonymous => true,
        }
    }
}

/// Whether `rule` is for `caller` (`None`: an anonymous request), wherever it applies.
pub fn applies_to(rule: &AccessRule, caller: Option<&Caller>) -> bool {
    match caller {
        Some(caller) => caller.matches(&rule.principal),
        None => rule.principal == Principal::Anonymous,
    }
}

/// Whether `rule` still applies at `now` (it has not expired).
pub fn is_live(rule: &AccessRule, now: i64) -> bool {
    rule.expires_at.is_none_or(|end| now < end)
}

/// The strongest permission the rules give `caller` on `path` at `now`.
pub fn granted<'a>(
    rules: impl IntoIterator<Item = &'a AccessRule>,
    caller: Option<&Caller>,
    path: &CollectionPath,
    now: i64,
) -> Option<Permission> {
    rules
        .into_iter()
        .filter(|rule| is_live(rule, now))
        .filter(|rule| path.starts_with(&rule.path))
        .filter(|rule| applies_to(rule, caller))
        .map(|rule| rule.permission)
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(raw: &str) -> CollectionPath {
        CollectionPath::parse(raw).unwrap()
    }

    fn rule(principal: Principal, at: &str, permission: Permission) -> AccessRule {
        AccessRule {
            id: format!("{principal:?}{at}"),
            principal,
            path: path(at),
            permission,
            expires_at: None,
            created_at: 0,
        }
    }

    fn alice() -> Caller {
        Caller {
            identities: vec!["alice".into(), "alice-linked".into()],
            groups: vec!["climate-lab".into()],
        }
    }

    #[test]
    fn a_rule_opens_its_directory_and_below_only() {
        let rules = [rule(
            Principal::Identity("alice".into()),
            "/results/alice",
            Permission::ReadWrite,
        )];
        let alice = alice();
        assert_eq!(
            granted(&rules, Some(&alice), &path("/results/alice/graph.png"), 0),
            Some(Permission::ReadWrite)
        );
        assert_eq!(granted(&rules, Some(&alice), &path("/results"), 0), None);
        assert_eq!(
            granted(&rules, Some(&alice), &path("/results/alice-other"), 0),
            None
        );
        let bob = Caller {
            identities: vec!["bob".into()],
            groups: vec![],
        };
        assert_eq!(
            granted(&rules, Some(&bob), &path("/results/alice/graph.png"), 0),
            None
        );
    }

    #[test]
    fn the_strongest_matching_rule_wins_through_any_linked_identity_or_group() {
        let rules = [
            rule(Principal::AllAuthenticatedUsers, "/", Permission::Read),
            rule(
                Principal::Group("climate-lab".into()),
                "/shared",
                Permission::ReadWrite,
            ),
            rule(
                Principal::Identity("alice-linked".into()),
                "/linked",
                Permission::ReadWrite,
            ),
        ];
        let alice = alice();
        assert_eq!(
            granted(&rules, Some(&alice), &path("/data"), 0),
            Some(Permission::Read)
        );
        assert_eq!(
            granted(&rules, Some(&alice), &path("/shared/x"), 0),
            Some(Permission::ReadWrite)
        );
        assert_eq!(
            granted(&rules, Some(&alice), &path("/linked"), 0),
            Some(Permission::ReadWrite)
        );
        assert_eq!(
            granted(&rules, None, &path("/data"), 0),
            None,
            "signed-in users only"
        );
    }

    #[test]
    fn anonymous_rules_open_to_everyone_and_expired_rules_to_no_one() {
        let mut public = rule(Principal::Anonymous, "/public", Permission::Read);
        assert_eq!(
            granted(&[public.clone()], None, &path("/public/a"), 0),
            Some(Permission::Read)
        );
        assert_eq!(
            granted(&[public.clone()], Some(&alice()), &path("/public/a"), 0),
            Some(Permission::Read)
        );
        public.expires_at = Some(100);
        assert_eq!(
            granted(&[public.clone()], None, &path("/public/a"), 99),
            Some(Permission::Read)
        );
        assert_eq!(granted(&[public], None, &path("/public/a"), 100), None);
    }

    #[test]
    fn wire_names_round_trip() {
        for principal in [
            Principal::Identity("i".into()),
            Principal::Group("g".into()),
            Principal::AllAuthenticatedUsers,
            Principal::Anonymous,
        ] {
            let (kind, id) = principal.wire();
            assert_eq!(Principal::from_wire(kind, id), Some(principal.clone()));
        }
        assert_eq!(Principal::from_wire(PrincipalType::Identity, ""), None);
        assert_eq!(Principal::from_wire(PrincipalType::Group, ""), None);
        assert!(Permission::Read < Permission::ReadWrite);
    }
}
