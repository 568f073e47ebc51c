//! Sizes in words for people.

/// `1536` → "1.5 KB" (decimal units, as file managers show them).
pub fn size_text(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::size_text;

    #[test]
    fn sizes_take_the_largest_unit_below_them() {
        assert_eq!(size_text(999), "999 B");
        assert_eq!(size_text(1536), "1.5 KB");
        assert_eq!(size_text(6_800_000), "6.8 MB");
        assert_eq!(size_text(3_000_000_000_000_000), "3000.0 TB");
    }
}
