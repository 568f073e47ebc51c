//! Who is signed in to the portal, and their profile.

use serde::{Deserialize, Serialize};

/// `GET /api/me`: the signed-in person (never a token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeResponse {
    pub identity_id: String,
    pub username: String,
    pub name: String,
    pub email: Option<String>,
    /// The organization the identity provider names for the person, if any.
    pub organization: Option<String>,
    /// What the person told the portal; starts from what the identity provider knows.
    pub profile: Profile,
    /// Whether the person saved a profile with every field filled in; features wait until then.
    pub profile_complete: bool,
}

/// The profile a researcher keeps at the portal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    pub name: String,
    pub email: String,
    pub institution: String,
}

impl Profile {
    pub fn is_complete(&self) -> bool {
        !self.name.trim().is_empty()
            && !self.email.trim().is_empty()
            && !self.institution.trim().is_empty()
    }
}

/// `PUT /api/me/profile`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProfileRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(format = IdnEmail, max_length = 254))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub institution: String,
}

/// A profile field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: &'static str,
}

impl ProfileRequest {
    /// Checks every field; the same rules run in the browser and on the server.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            errors.push(FieldError {
                field: "name",
                message: "Enter your name (at most 100 characters).",
            });
        }
        if !looks_like_email(self.email.trim()) {
            errors.push(FieldError {
                field: "email",
                message: "Enter an email address like name@example.org.",
            });
        }
        let institution = self.institution.trim();
        if institution.is_empty() || institution.chars().count() > 200 {
            errors.push(FieldError {
                field: "institution",
                message: "Enter your institution (at most 200 characters).",
            });
        }
        errors
    }
}

fn looks_like_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= 254
        && !local.is_empty()
        && !local.chars().any(|c| c.is_whitespace() || c == '@')
        && domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// `POST /api/auth/logout`: where to send the browser to end the provider's session too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LogoutResponse {
    pub logout_url: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(name: &str, email: &str, institution: &str) -> ProfileRequest {
        ProfileRequest {
            name: name.into(),
            email: email.into(),
            institution: institution.into(),
        }
    }

    #[test]
    fn a_complete_profile_validates() {
        assert!(
            request("Alice Researcher", "alice@noaa.gov", "NOAA")
                .validate()
                .is_empty()
        );
    }

    #[test]
    fn each_bad_field_is_named() {
        let fields = |r: ProfileRequest| r.validate().iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(request(" ", "alice@noaa.gov", "NOAA")), ["name"]);
        assert_eq!(fields(request("A", "not-an-email", "NOAA")), ["email"]);
        assert_eq!(fields(request("A", "a@b", "NOAA")), ["email"]);
        assert_eq!(fields(request("A", "a b@c.org", "NOAA")), ["email"]);
        assert_eq!(
            fields(request(&"x".repeat(101), "a@b.org", "")),
            ["name", "institution"]
        );
    }

    #[test]
    fn completeness_needs_every_field() {
        assert!(
            !Profile {
                name: "A".into(),
                email: "a@b.org".into(),
                institution: " ".into()
            }
            .is_complete()
        );
        assert!(
            Profile {
                name: "A".into(),
                email: "a@b.org".into(),
                institution: "NOAA".into()
            }
            .is_complete()
        );
    }
}
