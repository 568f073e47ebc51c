//! Collections, their access rules, and who may do what, in the store on both backends.

use mrdp_service::store::{Store, StoreLocation};
use mrdp_service::testing::each_backend;
use mrdp_transfer::access::{Caller, Permission, Principal};
use mrdp_transfer::access_rules::{self, RuleError};
use mrdp_transfer::collections::{self, Collection, CollectionError, NewCollection, Placement};
use mrdp_transfer::paths::CollectionPath;
use mrdp_transfer::rule_book::RuleBook;

async fn store(location: StoreLocation) -> Store {
    let store = Store::connect(&location, "transfer").await.unwrap();
    store.migrate(&mrdp_transfer::MIGRATIONS).await.unwrap();
    store
}

fn path(raw: &str) -> CollectionPath {
    CollectionPath::parse(raw).unwrap()
}

fn caller(identity: &str) -> Caller {
    Caller {
        identities: vec![identity.to_owned()],
        groups: vec!["climate-lab".to_owned()],
    }
}

fn mapped(owner: &str) -> NewCollection {
    NewCollection {
        display_name: "Portal storage".into(),
        description: "where the portal keeps its data".into(),
        owner_id: owner.into(),
        placement: Placement::Mapped {
            storage_url: "file:///srv/portal".into(),
        },
    }
}

fn guest(host: &str, owner: &str, at: &str) -> NewCollection {
    NewCollection {
        display_name: "Catalog".into(),
        description: String::new(),
        owner_id: owner.into(),
        placement: Placement::Guest {
            host_collection_id: host.into(),
            host_path: path(at),
        },
    }
}

/// The portal's mapped collection (made at 10) and a guest collection of it on `at` (at 11).
async fn host_and_guest(store: &Store, at: &str) -> (Collection, Collection) {
    let host = collections::create(store, mapped("portal"), 10)
        .await
        .unwrap();
    let guest = collections::create(store, guest(&host.id, "portal", at), 11)
        .await
        .unwrap();
    (host, guest)
}

#[tokio::test]
async fn collections_are_made_found_and_deleted_with_their_rules_on_both_backends() {
    each_backend(|location| async move {
        let store = store(location).await;
        let (host, catalog) = host_and_guest(&store, "/catalog/").await;
        assert_eq!(
            collections::find(&store, &catalog.id).await.unwrap(),
            Some(catalog.clone())
        );
        assert_eq!(
            collections::list(&store).await.unwrap(),
            [host.clone(), catalog.clone()]
        );

        let nested = collections::create(&store, guest(&catalog.id, "portal", "/x"), 12).await;
        assert!(matches!(nested, Err(CollectionError::HostNotMapped(_))));
        let orphan = collections::create(&store, guest("no-such-id", "portal", "/x"), 12).await;
        assert!(matches!(orphan, Err(CollectionError::NoHost(_))));

        access_rules::add(
            &store,
            &catalog.id,
            Principal::AllAuthenticatedUsers,
            path("/"),
            Permission::Read,
            None,
            13,
        )
        .await
        .unwrap();
        assert!(collections::delete(&store, &host.id).await.unwrap());
        assert_eq!(collections::list(&store).await.unwrap(), []);
        assert!(
            access_rules::list(&store, &catalog.id)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(!collections::delete(&store, &host.id).await.unwrap());
        store.close().await;
    })
    .await;
}

#[tokio::test]
async fn owners_may_do_everything_and_others_what_the_rules_grant_on_both_backends() {
    each_backend(|location| async move {
        let store = store(location).await;
        let (host, shared) = host_and_guest(&store, "/shared/").await;
        let (alice, bob) = (caller("alice"), caller("bob"));
        let at = |raw: &str| path(raw);

        assert_eq!(
            collections::permission(&store, &host, Some(&caller("portal")), &at("/any"), 20)
                .await
                .unwrap(),
            Some(Permission::ReadWrite)
        );
        assert_eq!(
            collections::permission(&store, &host, Some(&alice), &at("/any"), 20)
                .await
                .unwrap(),
            None,
            "no access rules on a mapped collection: only its owner"
        );

        let rule = access_rules::add(
            &store,
            &shared.id,
            Principal::Identity("alice".into()),
            at("/dataset1"),
            Permission::Read,
            None,
            12,
        )
        .await
        .unwrap();
        assert!(matches!(
            access_rules::add(
                &store,
                &shared.id,
                Principal::Identity("alice".into()),
                at("/dataset1/"),
                Permission::ReadWrite,
                None,
                12
            )
            .await,
            Err(RuleError::Exists)
        ));
        assert_eq!(
            collections::permission(&store, &shared, Some(&alice), &at("/dataset1/2020.csv"), 20)
                .await
                .unwrap(),
            Some(Permission::Read)
        );
        assert_eq!(
            collections::permission(&store, &shared, Some(&bob), &at("/dataset1/2020.csv"), 20)
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            collections::permission(&store, &shared, Some(&alice), &at("/dataset2"), 20)
                .await
                .unwrap(),
            None
        );

        assert!(
            access_rules::update(&store, &shared.id, &rule.id, Permission::ReadWrite)
                .await
                .unwrap()
        );
        assert_eq!(
            access_rules::find(&store, &shared.id, &rule.id)
                .await
                .unwrap()
                .map(|r| r.permission),
            Some(Permission::ReadWrite)
        );
        let group = access_rules::add(
            &store,
            &shared.id,
            Principal::Group("climate-lab".into()),
            at("/lab"),
            Permission::Read,
            Some(30),
            12,
        )
        .await
        .unwrap();
        assert_eq!(
            collections::permission(&store, &shared, Some(&bob), &at("/lab/x"), 29)
                .await
                .unwrap(),
            Some(Permission::Read)
        );
        assert_eq!(
            collections::permission(&store, &shared, Some(&bob), &at("/lab/x"), 30)
                .await
                .unwrap(),
            None,
            "expired"
        );
        assert_eq!(
            collections::permission(&store, &shared, None, &at("/lab/x"), 20)
                .await
                .unwrap(),
            None,
            "anonymous"
        );

        assert!(
            access_rules::delete(&store, &shared.id, &group.id)
                .await
                .unwrap()
        );
        assert!(
            !access_rules::delete(&store, &shared.id, &group.id)
                .await
                .unwrap()
        );
        assert!(
            !access_rules::update(&store, &host.id, &rule.id, Permission::Read)
                .await
                .unwrap(),
            "another collection's rule"
        );
        store.close().await;
    })
    .await;
}

/// A rule for the group climate-lab on `at` of collection `id`, made at `now`.
async fn for_the_lab(
    store: &Store,
    id: &str,
    at: &str,
    permission: Permission,
    now: i64,
) -> mrdp_transfer::access::AccessRule {
    let lab = Principal::Group("climate-lab".into());
    access_rules::add(store, id, lab, path(at), permission, None, now)
        .await
        .unwrap()
}

/// What `caller` may do at `/sea/2012.csv` of collection `id`, as read now with `book`.
async fn judged(store: &Store, book: &RuleBook, id: &str, caller: &Caller) -> Option<Permission> {
    let collection = collections::find(store, id).await.unwrap().unwrap();
    let rules = book.rules_of(store, &collection).await.unwrap();
    rules.granted(Some(caller), &path("/sea/2012.csv"), 20)
}

/// What two services on one store judge by: a rule changed through one is seen by the other at
/// its next read of the collection, however long it has kept the rules it read.
#[tokio::test]
async fn kept_rules_give_way_to_a_change_made_elsewhere_and_to_a_collection_made_again_on_both_backends()
 {
    each_backend(|location| async move {
        let store = store(location).await;
        let (here, elsewhere) = (RuleBook::default(), RuleBook::default());
        let (host, share) = host_and_guest(&store, "/catalog/").await;
        let alice = caller("alice");
        let rule = for_the_lab(&store, &share.id, "/sea", Permission::Read, 12).await;
        let judged = |book| judged(&store, book, &share.id, &alice);
        assert_eq!(judged(&here).await, Some(Permission::Read));
        assert_eq!(judged(&here).await, Some(Permission::Read), "kept");

        assert!(
            access_rules::delete(&store, &share.id, &rule.id)
                .await
                .unwrap()
        );
        assert_eq!(judged(&here).await, None, "the deletion is seen at once");

        for_the_lab(&store, &share.id, "/", Permission::ReadWrite, 13).await;
        assert_eq!(judged(&elsewhere).await, Some(Permission::ReadWrite));
        assert_eq!(
            judged(&here).await,
            Some(Permission::ReadWrite),
            "an addition too"
        );

        // Rules read after the collection can be newer than its stamp: kept under that stamp,
        // they must not be taken for those of the collection made again with the same id.
        let made_again = |at| {
            let again = guest(&host.id, "portal", "/catalog/");
            collections::create_with_id(&store, share.id.clone(), again, at)
        };
        assert!(collections::delete(&store, &share.id).await.unwrap());
        let read_before = made_again(14).await.unwrap();
        for_the_lab(&store, &share.id, "/sea", Permission::Read, 15).await;
        here.rules_of(&store, &read_before).await.unwrap();
        assert!(collections::delete(&store, &share.id).await.unwrap());
        made_again(16).await.unwrap();
        assert_eq!(judged(&here).await, None, "made again, it has no rules");
        assert_eq!(judged(&elsewhere).await, None);
    })
    .await;
}
