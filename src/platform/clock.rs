//! The time of this device, in ms since 1970, as the model wants it.

use driehoek_core::model::{Date, Timestamp};

pub fn now_ms() -> Timestamp {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now() as Timestamp
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as Timestamp)
            .unwrap_or(0)
    }
}

/// Today on this device's calendar (local time: a parent writing at
/// 23:30 means today, not tomorrow in UTC).
pub fn today() -> Option<Date> {
    #[cfg(target_arch = "wasm32")]
    {
        let d = js_sys::Date::new_0();
        Date::new(
            d.get_full_year() as u16,
            (d.get_month() + 1) as u8,
            d.get_date() as u8,
        )
        .ok()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        // Days since 1970 to a civil date (UTC is good enough off the web).
        let z = now_ms().div_euclid(86_400_000) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(year as u16, month as u8, day as u8).ok()
    }
}
