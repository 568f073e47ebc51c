//! Collections, their access rules, and who may do what, in the store on both backends.

use mrdp_service::store::{Store, StoreLocation};
use mrdp_service::testing::each_backend;
use mrdp_transfer::access::{Caller, Permission, Principal};
use mrdp_transfer::access_rules::{self, RuleError};
use mrdp_transfer::collections::{self, CollectionError, NewCollection, Placement};
use mrdp_transfer::paths::CollectionPath;

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

#[tokio::test]
async fn collections_are_made_found_and_deleted_with_their_rules_on_both_backends() {
    each_backend(|location| async move {
        let store = store(location).await;
        let host = collections::create(&store, mapped("portal"), 10)
            .await
            .unwrap();
        let catalog = collections::create(&store, guest(&host.id, "portal", "/catalog/"), 11)
            .await
            .unwrap();
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
        let host = collections::create(&store, mapped("portal"), 10)
            .await
            .unwrap();
        let shared = collections::create(&store, guest(&host.id, "portal", "/shared/"), 11)
            .await
            .unwrap();
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
