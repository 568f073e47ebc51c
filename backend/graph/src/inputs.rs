//! Reading a job's inputs as the RESEARCHER: each station-year's CSV from the data server, with
//! the researcher's dependent token for the catalog collection's HTTPS scope, so that a file they
//! may not read is refused to the job exactly as their own download would be.

use crate::catalog::StationYear;
use crate::delegation::Delegation;
use crate::provenance::{Input, sha256_hex};
use crate::service::GraphService;
use crate::transfer_calls::Transfer;
use mrdp_globus::transfer::TRANSFER_RESOURCE_SERVER;

/// One input as read: its bytes and what the provenance says of it.
#[derive(Debug, Clone)]
pub struct Read {
    pub text: String,
    pub input: Input,
}

/// The largest station-year file read (a year of daily rows is a few kilobytes).
const LARGEST: usize = 4 << 20;

/// Why an input could not be read, for the researcher.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ReadError(pub String);

impl GraphService {
    /// Where the catalog's files are, asked as the researcher.
    pub(crate) async fn catalog_server(
        &self,
        delegation: &Delegation,
    ) -> Result<String, ReadError> {
        let token = delegation
            .token(TRANSFER_RESOURCE_SERVER, self.clock.now())
            .ok_or_else(expired)?;
        Transfer::new(&self.http, &self.settings.transfer, token)
            .https_server(&self.settings.catalog_collection)
            .await
            .map_err(|e| ReadError(format!("the catalog could not be found: {e}")))
    }

    /// Reads `input` from the catalog at `server`, as the researcher.
    pub(crate) async fn read(
        &self,
        (server, delegation): (&str, &Delegation),
        input: &StationYear,
    ) -> Result<Read, ReadError> {
        let token = delegation
            .token(&self.settings.catalog_collection, self.clock.now())
            .ok_or_else(expired)?;
        let url = format!("{server}{}", input.path);
        let unanswered =
            |e: reqwest::Error| ReadError(format!("the data server did not answer for {url}: {e}"));
        let response = self
            .http
            .get(&url)
            .bearer_auth(token)
            .send()
            .await
            .map_err(unanswered)?;
        let status = response.status().as_u16();
        let what = format!("{} {} ({})", input.station, input.year, input.dataset);
        match status {
            200 => {}
            401 | 403 => {
                return Err(ReadError(format!(
                    "you may not read {what}: the data server refused your access to {}",
                    input.path
                )));
            }
            404 => return Err(ReadError(format!("{what} has no file at {}", input.path))),
            _ => {
                return Err(ReadError(format!(
                    "the data server answered {status} for {what}"
                )));
            }
        }
        let bytes = response.bytes().await.map_err(unanswered)?;
        if bytes.len() > LARGEST {
            return Err(ReadError(format!(
                "{what} is larger than a station-year can be"
            )));
        }
        let text = String::from_utf8(bytes.to_vec())
            .map_err(|_| ReadError(format!("{what} is not a text file")))?;
        Ok(Read {
            input: Input {
                url,
                size: bytes.len() as u64,
                sha256: sha256_hex(&bytes),
            },
            text,
        })
    }
}

fn expired() -> ReadError {
    ReadError(
        "your permission for the graph service to act for you ended before the job ran: ask again"
            .to_owned(),
    )
}
