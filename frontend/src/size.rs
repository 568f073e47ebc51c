//! Sizes in words for people.

/// `1536` → "1.5 KB" (decimal units, as file managers show them), in whole-number arithmetic.
pub fn size_text(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let (mut unit, mut divisor) = (0, 1000_u128);
    while u128::from(bytes) / divisor >= 1000 && unit + 1 < UNITS.len() {
        divisor *= 1000;
        unit += 1;
    }
    let tenths = (u128::from(bytes) * 10 + divisor / 2) / divisor;
    format!("{}.{} {}", tenths / 10, tenths % 10, UNITS[unit])
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
