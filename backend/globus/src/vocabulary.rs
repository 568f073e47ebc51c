//! Closed vocabularies of the Globus APIs (task types and statuses, principal types,
//! permissions): enums spelt exactly as Globus spells them, on the wire (serde) and in stores
//! (`as_str`, `parse`). An unknown word is an error where it is read, never a guess.

/// Declares a vocabulary: an enum whose variants are the given words, with `as_str`, `parse`,
/// `Display` and serde using exactly those words.
#[macro_export]
macro_rules! vocabulary {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$doc:meta])* $variant:ident = $word:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        $vis enum $name {
            $($(#[$doc])* #[serde(rename = $word)] $variant,)+
        }

        impl $name {
            /// Every word of the vocabulary.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The word, as Globus writes it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $word,)+
                }
            }

            /// The word `text` is, if it is one of the vocabulary's.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($word => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::vocabulary! {
        /// A test vocabulary.
        enum Weather {
            Sunny = "sunny",
            /// With a doc comment.
            PartlyCloudy = "partly_cloudy",
        }
    }

    #[test]
    fn words_round_trip_and_unknown_words_are_refused() {
        for weather in Weather::ALL {
            assert_eq!(Weather::parse(weather.as_str()), Some(*weather));
            let json = serde_json::to_string(weather).unwrap();
            assert_eq!(json, format!("\"{weather}\""));
            assert_eq!(serde_json::from_str::<Weather>(&json).unwrap(), *weather);
        }
        assert_eq!(Weather::parse("Sunny"), None);
        assert!(serde_json::from_str::<Weather>("\"rainy\"").is_err());
    }
}
