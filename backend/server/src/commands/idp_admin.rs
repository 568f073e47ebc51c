//! `mrdp idp user …` and `mrdp idp client …`: manage the embedded identity provider's registry.

use crate::config::Config;
use crate::deployment::open_store;
use anyhow::Context;
use clap::Subcommand;
use mrdp_idp::key_ring::KeyRing;
use mrdp_idp::registry::clients::{self, NewClient};
use mrdp_idp::registry::groups;
use mrdp_idp::registry::users::{self, NewUser};
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_service::store::{Store, StoreLocation};
use std::io::BufRead;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum IdpAdmin {
    /// Local accounts that sign in with a password.
    #[command(subcommand)]
    User(UserCommand),
    /// OAuth clients (apps).
    #[command(subcommand)]
    Client(ClientCommand),
    /// Groups of accounts, for access rules that name a group.
    #[command(subcommand)]
    Group(GroupCommand),
    /// Sign with a new key (every identity provider on this database, at once); the old key stays
    /// published for verification.
    RotateKey,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; prints a generated password unless --password-stdin is given.
    Add {
        /// `alice` (in the local domain) or `alice@example.org`.
        username: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        organization: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (generated and printed unless --password-stdin is given).
    Passwd {
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Stop an account from signing in.
    Disable { username: String },
    /// Let a disabled account sign in again.
    Enable { username: String },
}

#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Create a group.
    Add {
        name: String,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// List the groups.
    List,
    /// Add an account to a group.
    AddMember { group: String, username: String },
    /// Remove an account from a group.
    RemoveMember { group: String, username: String },
}

#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Register a client; a confidential client's secret is printed once.
    Add {
        name: String,
        /// A native or browser app that cannot keep a secret (it must use PKCE).
        #[arg(long)]
        public: bool,
        /// An exact redirect URI (repeatable).
        #[arg(long = "redirect-uri")]
        redirect_uris: Vec<String>,
    },
    /// List the registered clients.
    List,
    /// Give a confidential client a new secret (printed once); the old one stops working.
    RotateSecret { name: String },
}

pub async fn run(config: &Config, admin: IdpAdmin) -> anyhow::Result<ExitCode> {
    crate::data_dir::prepare(&config.data_dir)?;
    let outcome = match admin {
        IdpAdmin::RotateKey => {
            let store = idp_store(config).await?;
            let secrets = config.data_dir.join("secrets");
            let now = SystemClock.now();
            let rotated = match KeyRing::open(store.clone(), &secrets, now).await {
                Ok(keys) => keys.rotate(now).await,
                Err(e) => Err(e),
            };
            store.close().await;
            let kid = rotated?;
            println!(
                "new signing key {kid}: every identity provider on this database signs with it \
                 now; the keys before stay published for the tokens they signed"
            );
            Ok(())
        }
        IdpAdmin::User(command) => {
            let store = idp_store(config).await?;
            let outcome = user(&store, command).await;
            store.close().await;
            outcome
        }
        IdpAdmin::Client(command) => {
            let store = idp_store(config).await?;
            let outcome = client(&store, command).await;
            store.close().await;
            outcome
        }
        IdpAdmin::Group(command) => {
            let store = idp_store(config).await?;
            let outcome = group(&store, command).await;
            store.close().await;
            outcome
        }
    };
    outcome.map(|()| ExitCode::SUCCESS)
}

async fn idp_store(config: &Config) -> anyhow::Result<Store> {
    let location = StoreLocation::from_config(config.database_url.as_ref(), &config.data_dir)?;
    open_store(&location, "idp", &mrdp_idp::MIGRATIONS).await
}

async fn user(store: &Store, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add {
            username,
            name,
            email,
            organization,
            password_stdin,
        } => {
            let (password, generated) = password(password_stdin)?;
            let new = NewUser {
                username,
                name,
                email,
                organization,
                password: password.clone(),
            };
            let identity = users::create(store, SystemClock.now(), new).await?;
            println!(
                "user {} created, identity {}",
                identity.username, identity.id
            );
            if generated {
                println!("password: {password}   (shown once)");
            }
        }
        UserCommand::Passwd {
            username,
            password_stdin,
        } => {
            let (password, generated) = password(password_stdin)?;
            users::set_password(store, &username, &password, SystemClock.now()).await?;
            println!("password of {username} changed");
            if generated {
                println!("password: {password}   (shown once)");
            }
        }
        UserCommand::Disable { username } => {
            users::set_disabled(store, &username, true, SystemClock.now()).await?;
            println!("user {username} disabled");
        }
        UserCommand::Enable { username } => {
            users::set_disabled(store, &username, false, SystemClock.now()).await?;
            println!("user {username} enabled");
        }
    }
    Ok(())
}

async fn client(store: &Store, command: ClientCommand) -> anyhow::Result<()> {
    match command {
        ClientCommand::Add {
            name,
            public,
            redirect_uris,
        } => {
            let new = NewClient {
                name,
                public,
                redirect_uris,
            };
            let (client, secret) = clients::create(store, SystemClock.now(), new).await?;
            println!("client {} created", client.name);
            println!("client_id: {}", client.id);
            if let Some(secret) = secret {
                println!("client_secret: {}   (shown once)", secret.expose());
            }
        }
        ClientCommand::List => {
            for client in clients::list(store).await? {
                let kind = if client.public {
                    "public"
                } else {
                    "confidential"
                };
                println!(
                    "{}  {:<12} {:<13} {}",
                    client.id,
                    client.name,
                    kind,
                    client.redirect_uris.join(" ")
                );
            }
        }
        ClientCommand::RotateSecret { name } => {
            let secret = clients::rotate_secret(store, &name).await?;
            println!("client_secret: {}   (shown once)", secret.expose());
        }
    }
    Ok(())
}

async fn group(store: &Store, command: GroupCommand) -> anyhow::Result<()> {
    match command {
        GroupCommand::Add { name, description } => {
            let group = groups::create(store, SystemClock.now(), &name, &description).await?;
            println!("group {} created, id {}", group.name, group.id);
        }
        GroupCommand::List => {
            for group in groups::list(store).await? {
                println!("{}  {:<20} {}", group.id, group.name, group.description);
            }
        }
        GroupCommand::AddMember { group, username } => {
            groups::add_member(store, SystemClock.now(), &group, &username).await?;
            println!("{username} is in {group}");
        }
        GroupCommand::RemoveMember { group, username } => {
            groups::remove_member(store, &group, &username).await?;
            println!("{username} is no longer in {group}");
        }
    }
    Ok(())
}

/// The password from stdin, or a generated one (and whether it was generated).
fn password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("read the password from standard input")?;
        Ok((line.trim_end_matches(['\r', '\n']).to_owned(), false))
    } else {
        Ok((mrdp_idp::password::generate(), true))
    }
}
